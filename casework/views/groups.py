"""Group work pages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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
from projects.selectors import projects_linkable

if TYPE_CHECKING:
    from accounts.models import User


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
    user = cast("User", request.user)  # @requires let only a signed-in user through
    form = forms.GroupForm(
        request.POST or None,
        initial={"start_on": timezone.localdate(), "worker": user.pk, "unit": user.unit_id},
        units=units_visible(user),
        staff=selectors.workers_for(user),
        projects=projects_linkable(user),
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
    form = forms.AttendanceForm(
        request.POST or None, initial={"members": list(session.attendance.values_list("member_id", flat=True))}
    )

    def ticked() -> set[int]:
        return set(form.cleaned_data["members"] if form.is_bound and form.is_valid() else form.initial["members"])

    title = _("Attendance: %(session)s") % {"session": session}
    return form_page(
        request,
        form=form,
        edits=session,
        act=lambda d: services.group_attendance_set(actor=request.user, session=session, member_ids=d["members"]),
        success=lambda _n: reverse("casework:group_detail", args=[group.pk]),
        done_message=_("Attendance saved."),
        title=title,
        cancel_url=reverse("casework:group_detail", args=[group.pk]),
        breadcrumbs=_crumbs(group),
        template="casework/attendance.html",
        extra=lambda: {"session": session, "group": group, "members": [(m, m.pk in ticked()) for m in members]},
    )


@requires(Perm.RECORD_EDIT)
def scores_edit(request: HttpRequest, group_id: int) -> HttpResponse:
    group = _group(request, group_id)
    members = list(group.members.select_related("person"))
    initial = {f"{k}_{m.pk}": v for m in members for k, v in (("pre", m.pre_score), ("post", m.post_score))}
    form = forms.ScoresForm(request.POST or None, members=members, initial=initial)

    def value(name: str) -> Any:
        return form.data.get(name, "") if form.is_bound else initial[name]

    return form_page(
        request,
        form=form,
        edits=group,
        act=lambda d: services.group_scores_set(actor=request.user, group=group, scores=form.scores()),
        success=lambda _r: reverse("casework:group_detail", args=[group.pk]),
        done_message=_("Scores saved."),
        title=_("Pre/post scores"),
        cancel_url=reverse("casework:group_detail", args=[group.pk]),
        breadcrumbs=_crumbs(group),
        template="casework/scores.html",
        extra=lambda: {
            "group": group,
            "rows": [(m, value(f"pre_{m.pk}"), value(f"post_{m.pk}")) for m in members],
        },
    )
