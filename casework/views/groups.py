"""Group work pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import forms, lists, selectors, services
from casework.models import Group
from core.access import Perm, can, get_in_scope_or_404, requires, under
from core.forms import form_page
from core.lists import list_page
from orgs.selectors import units_visible
from people.selectors import persons_visible


def _crumbs(group: Group | None = None) -> list[tuple[str, str]]:
    crumbs = [(_("Groups"), reverse("casework:group_list"))]
    if group is not None:
        crumbs.append((group.name, reverse("casework:group_detail", args=[group.pk])))
    return crumbs


def _group(request: HttpRequest, group_id: int) -> Group:
    return get_in_scope_or_404(selectors.groups_visible(request.user), request.user, pk=group_id)


@requires(Perm.VIEW)
def group_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.GROUPS,
        template="casework/group_list.html",
        context={
            "title": _("Groups"),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Groups"), "")],
        },
    )


@requires(Perm.RECORD_EDIT)
def group_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = forms.GroupForm(
        request.POST or None,
        initial={"start_on": timezone.localdate(), "worker": user.pk, "unit": user.unit_id},
        units=units_visible(user),
        staff=selectors.workers_for(user),
    )
    return form_page(
        request,
        form=form,
        act=lambda d: services.group_create(actor=user, **d),
        success=lambda g: reverse("casework:group_detail", args=[g.pk]),
        done_message=_("The group was created."),
        title=_("New group"),
        cancel_url=reverse("casework:group_list"),
        breadcrumbs=_crumbs(),
    )


@requires(Perm.VIEW)
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    group = get_in_scope_or_404(selectors.group_detail_qs(request.user), request.user, pk=group_id)
    members = list(group.members.all())
    sessions = list(group.sessions.all())
    changes = [m.change for m in members if m.change is not None]
    improved = sum(1 for c in changes if (c > 0) == group.higher_is_better and c != 0)
    return render(
        request,
        "casework/group_detail.html",
        {
            "title": group.name,
            "group": group,
            "members": members,
            "sessions": sessions,
            "scored": len(changes),
            "improved": improved,
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [_crumbs()[0], (group.name, "")],
        },
    )


@requires(Perm.RECORD_EDIT)
def member_add(request: HttpRequest, group_id: int) -> HttpResponse:
    group = _group(request, group_id)
    persons = under(persons_visible(request.user), group.unit).filter(is_active=True)
    form = forms.MemberForm(request.POST or None, persons=persons.exclude(group_memberships__group=group))
    return form_page(
        request,
        form=form,
        act=lambda d: services.group_member_add(actor=request.user, group=group, **d),
        success=lambda _m: reverse("casework:group_detail", args=[group.pk]),
        done_message=_("Member added."),
        title=_("Add a member"),
        cancel_url=reverse("casework:group_detail", args=[group.pk]),
        breadcrumbs=_crumbs(group),
    )


@requires(Perm.RECORD_EDIT)
def session_add(request: HttpRequest, group_id: int) -> HttpResponse:
    group = _group(request, group_id)
    form = forms.SessionForm(request.POST or None, initial={"date": timezone.localdate()})
    return form_page(
        request,
        form=form,
        act=lambda d: services.group_session_add(actor=request.user, group=group, **d),
        success=lambda s: reverse("casework:attendance_edit", args=[s.pk]),
        done_message=_("Session added; now tick who attended."),
        title=_("Add a session"),
        cancel_url=reverse("casework:group_detail", args=[group.pk]),
        breadcrumbs=_crumbs(group),
    )


@requires(Perm.RECORD_EDIT)
def attendance_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_in_scope_or_404(
        selectors.sessions_visible(request.user), request.user, field="group__unit", pk=session_id
    )
    group = session.group
    members = list(group.members.select_related("person"))
    present = set(session.attendance.values_list("member_id", flat=True))
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.group_attendance_set(
                actor=request.user,
                session=session,
                member_ids=[v for v in request.POST.getlist("members") if v.isdigit()],
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("casework:group_detail", group_id=group.pk)
    return render(
        request,
        "casework/attendance.html",
        {
            "title": _("Attendance: %(session)s") % {"session": session},
            "session": session,
            "group": group,
            "members": [(m, m.pk in present) for m in members],
            "errors": errors,
            "breadcrumbs": [*_crumbs(group), (str(session), "")],
        },
    )


@requires(Perm.RECORD_EDIT)
def scores_edit(request: HttpRequest, group_id: int) -> HttpResponse:
    group = _group(request, group_id)
    members = list(group.members.select_related("person"))
    errors: list[str] = []
    values: dict[int, tuple[Any, Any]] = {m.pk: (m.pre_score, m.post_score) for m in members}
    if request.method == "POST":
        values = {m.pk: (request.POST.get(f"pre_{m.pk}", ""), request.POST.get(f"post_{m.pk}", "")) for m in members}
        try:
            services.group_scores_set(actor=request.user, group=group, scores=values)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Scores saved."))
            return redirect("casework:group_detail", group_id=group.pk)
    return render(
        request,
        "casework/scores.html",
        {
            "title": _("Pre/post scores"),
            "group": group,
            "rows": [(m, values[m.pk][0], values[m.pk][1]) for m in members],
            "errors": errors,
            "breadcrumbs": [*_crumbs(group), (_("Pre/post scores"), "")],
        },
    )
