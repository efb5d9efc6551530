"""Pages: service tasks (list, detail with the completion form, start, cancel)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import apply_errors
from matching import services
from matching.forms import (
    TaskCancelForm,
    TaskCompleteForm,
)
from matching.models import TaskStatus
from matching.selectors import (
    need_type_names,
    tasks_visible,
)

# ---------------------------------------------------------------- tasks


@requires(Perm.VIEW)
def task_list(request: HttpRequest) -> HttpResponse:
    qs = tasks_visible(request.user)
    status = request.GET.get("status", "")
    if status in TaskStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    types = need_type_names()
    for t in page:
        t.type_name = types.get(t.need.need_type, t.need.need_type)
    return render(
        request,
        "matching/task_list.html",
        {
            "title": _("Service tasks"),
            "page": page,
            "statuses": TaskStatus.choices,
            "status": status,
            "types": need_type_names(),
            "breadcrumbs": [(_("Service tasks"), "")],
        },
    )


@requires(Perm.VIEW)
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_in_scope_or_404(tasks_visible(request.user), request.user, pk=task_id)
    form = TaskCompleteForm(request.POST or None, initial={"completed_on": timezone.localdate()})
    if request.method == "POST":
        if not can(request.user, Perm.RECORD_EDIT):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.task_complete(
                    actor=request.user,
                    task=task,
                    satisfaction=d["satisfaction"] or None,
                    feedback=d["feedback"],
                    hours=d["hours"],
                    completed_on=d["completed_on"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The task was completed."))
                return redirect("matching:task_detail", task_id=task.pk)
    hours_total = None
    if task.volunteer_id:
        from volunteering.selectors import volunteer_hours

        hours_total = volunteer_hours([task.volunteer_id]).get(task.volunteer_id)
    return render(
        request,
        "matching/task_detail.html",
        {
            "title": _("Service task %(id)s") % {"id": task.pk},
            "task": task,
            "form": form,
            "type_name": need_type_names().get(task.need.need_type, task.need.need_type),
            "hours_total": hours_total,
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Service tasks"), reverse("matching:task_list")), (f"#{task.pk}", "")],
        },
    )


@require_POST
@requires(Perm.RECORD_EDIT)
def task_start(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_in_scope_or_404(tasks_visible(request.user), request.user, pk=task_id)
    try:
        services.task_start(actor=request.user, task=task)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    return redirect("matching:task_detail", task_id=task.pk)


@requires(Perm.RECORD_EDIT)
def task_cancel(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_in_scope_or_404(tasks_visible(request.user), request.user, pk=task_id)
    form = TaskCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.task_cancel(actor=request.user, task=task, note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("matching:task_detail", task_id=task.pk)
    title = _("Cancel the task")
    url = reverse("matching:task_detail", args=[task.pk])
    return render(
        request,
        "core/form.html",
        {
            "title": title,
            "form": form,
            "cancel_url": url,
            "breadcrumbs": [(_("Service tasks"), reverse("matching:task_list")), (f"#{task.pk}", url), (title, "")],
        },
    )
