"""Pages: service tasks (list, detail with the completion form, start, cancel)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import form_page
from core.lists import list_page
from matching import lists, services
from matching.forms import TaskCancelForm, TaskCompleteForm
from matching.models import ServiceTask
from matching.selectors import need_type_names, tasks_visible
from projects.selectors import projects_linkable

if TYPE_CHECKING:
    from accounts.models import User

# ---------------------------------------------------------------- tasks


def _crumbs() -> list[tuple[str, str]]:
    return [(_("Service tasks"), reverse("matching:task_list"))]


@requires(Perm.VIEW)
def task_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.TASKS,
        context={"title": _("Service tasks"), "breadcrumbs": [(_("Service tasks"), "")]},
    )


@requires(Perm.VIEW)
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    user = cast("User", request.user)
    task = get_in_scope_or_404(tasks_visible(user), user, pk=task_id)
    if request.method == "POST" and not can(user, Perm.RECORD_EDIT):
        raise PermissionDenied
    url = reverse("matching:task_detail", args=[task.pk])

    def act(d: dict[str, Any]) -> ServiceTask:
        return services.task_complete(
            actor=user,
            task=task,
            satisfaction=d["satisfaction"] or None,
            feedback=d["feedback"],
            hours=d["hours"],
            completed_on=d["completed_on"],
            project=d.get("project"),
        )

    def extra() -> dict[str, Any]:
        hours_total = None
        if task.volunteer_id:
            from volunteering.selectors import volunteer_hours

            hours_total = volunteer_hours([task.volunteer_id]).get(task.volunteer_id)
        return {
            "task": task,
            "type_name": need_type_names().get(task.need.need_type, task.need.need_type),
            "hours_total": hours_total,
            "can_edit": can(user, Perm.RECORD_EDIT),
            "breadcrumbs": [*_crumbs(), (f"#{task.pk}", "")],
        }

    return form_page(
        request,
        form=TaskCompleteForm(
            request.POST or None,
            initial={"completed_on": timezone.localdate(), "project": task.project_id},
            projects=projects_linkable(user),
        ),
        act=act,
        success=lambda _task: url,
        done_message=_("The task was completed."),
        title=_("Service task %(id)s") % {"id": task.pk},
        cancel_url=url,
        breadcrumbs=_crumbs(),
        template="matching/task_detail.html",
        extra=extra,
    )


@require_POST
@requires(Perm.RECORD_EDIT)
def task_start(request: HttpRequest, task_id: int) -> HttpResponse:
    user = cast("User", request.user)
    task = get_in_scope_or_404(tasks_visible(user), user, pk=task_id)
    try:
        services.task_start(actor=user, task=task)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    return redirect("matching:task_detail", task_id=task.pk)


@requires(Perm.RECORD_EDIT)
def task_cancel(request: HttpRequest, task_id: int) -> HttpResponse:
    user = cast("User", request.user)
    task = get_in_scope_or_404(tasks_visible(user), user, pk=task_id)
    url = reverse("matching:task_detail", args=[task.pk])
    return form_page(
        request,
        form=TaskCancelForm(request.POST or None),
        act=lambda d: services.task_cancel(actor=user, task=task, note=d["note"]),
        success=lambda _task: url,
        done_message="",
        title=_("Cancel the task"),
        cancel_url=url,
        breadcrumbs=[*_crumbs(), (f"#{task.pk}", url)],
    )
