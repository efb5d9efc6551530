from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.selectors import staff_visible
from core import identity
from core.access import Perm, can, get_in_scope_or_404, requires, unit_subtree
from core.forms import form_page
from core.lists import list_page
from core.roles import Role
from volunteers import lists, selectors, services
from volunteers.forms import TeamForm, VolunteerForm, availability_to_choices
from volunteers.models import Volunteer

if TYPE_CHECKING:
    from accounts.models import User


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Volunteers"), reverse("volunteers:volunteer_list")), *extra]


@requires(Perm.VIEW)
def volunteer_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.VOLUNTEERS,
        template="volunteers/volunteer_list.html",
        context={
            "title": _("Volunteers"),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Volunteers"), "")],
        },
    )


@requires(Perm.VIEW)
def volunteer_detail(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    v = get_in_scope_or_404(
        selectors.volunteers_visible(request.user).prefetch_related("skills", "domains", "teams"),
        request.user,
        pk=volunteer_id,
    )
    return render(
        request,
        "volunteers/volunteer_detail.html",
        {
            "title": v.name,
            "v": v,
            "masked_id": identity.masked_id_of(v),
            "availability": lists.availability_text(v.availability),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": _crumbs((v.name, "")),
        },
    )


def _volunteer_form(
    request: HttpRequest, initial: dict[str, Any] | None = None, volunteer: Volunteer | None = None
) -> VolunteerForm:
    return VolunteerForm(
        request.POST or None,
        initial=initial,
        units=unit_subtree(request.user).order_by("path"),
        skills=selectors.skills_offered(volunteer),
        domains=selectors.domains_offered(volunteer),
        teams=selectors.teams_visible(request.user),
    )


@requires(Perm.RECORD_EDIT)
def volunteer_create(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)  # @requires let only a signed-in user through
    return form_page(
        request,
        form=_volunteer_form(request),
        act=lambda d: services.volunteer_create(actor=user, **d),
        success=lambda v: reverse("volunteers:volunteer_detail", args=[v.pk]),
        done_message=lambda v: _("%(name)s was added.") % {"name": v.name},
        title=_("New volunteer"),
        cancel_url=reverse("volunteers:volunteer_list"),
        breadcrumbs=_crumbs(),
    )


@requires(Perm.RECORD_EDIT)
def volunteer_edit(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    user = cast("User", request.user)
    v = get_in_scope_or_404(selectors.volunteers_visible(user), user, pk=volunteer_id)
    initial: dict[str, Any] = {
        f: getattr(v, f) for f in services.FIELDS if f not in ("latitude", "longitude", "is_active")
    }
    initial.update(
        availability=availability_to_choices(v.availability),
        skills=v.skills.all(),
        domains=v.domains.all(),
        teams=v.teams.all(),
    )
    form = _volunteer_form(request, initial, v)
    form.fields["resident_id"].help_text = _("Leave empty to keep the stored ID.")
    detail = reverse("volunteers:volunteer_detail", args=[v.pk])

    def act(cleaned: dict[str, Any]) -> Volunteer:
        data = dict(cleaned)
        data["resident_id"] = data["resident_id"] or None  # empty keeps the stored ID
        for key in ("sex", "birth_date"):  # empty keeps what the ID number says
            if not data.get(key):
                data.pop(key)
        return services.volunteer_update(actor=user, volunteer=v, **data)

    return form_page(
        request,
        form=form,
        act=act,
        success=lambda _v: detail,
        done_message=_("Changes saved."),
        title=_("Edit %(name)s") % {"name": v.name},
        cancel_url=detail,
        breadcrumbs=_crumbs((v.name, detail)),
        edits=v,
    )


def _leaders(user: User) -> QuerySet[User]:
    return staff_visible(user).filter(role__in=[Role.SOCIAL_WORKER, Role.STATION_LEAD], is_active=True)


@requires(Perm.VIEW)
def team_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.TEAMS,
        template="volunteers/team_list.html",
        context={
            "title": _("Volunteer teams"),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": _crumbs((_("Volunteer teams"), "")),
        },
    )


@requires(Perm.RECORD_EDIT)
def team_create(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)
    teams = reverse("volunteers:team_list")
    return form_page(
        request,
        form=TeamForm(request.POST or None, units=unit_subtree(user).order_by("path"), leaders=_leaders(user)),
        act=lambda d: services.team_create(actor=user, **d),
        success=lambda _t: teams,
        done_message=_("Saved."),
        title=_("New volunteer team"),
        cancel_url=teams,
        breadcrumbs=_crumbs((_("Volunteer teams"), teams)),
    )


@requires(Perm.RECORD_EDIT)
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    user = cast("User", request.user)
    team = get_in_scope_or_404(selectors.teams_visible(user), user, pk=team_id)
    form = TeamForm(
        request.POST or None,
        initial={"unit": team.unit, "name": team.name, "leader": team.leader},
        units=unit_subtree(user).order_by("path"),
        leaders=_leaders(user),
    )
    teams = reverse("volunteers:team_list")
    return form_page(
        request,
        form=form,
        act=lambda d: services.team_update(actor=user, team=team, **d),
        success=lambda _t: teams,
        done_message=_("Changes saved."),
        title=_("Edit %(name)s") % {"name": team.name},
        cancel_url=teams,
        breadcrumbs=_crumbs((_("Volunteer teams"), teams)),
        edits=team,
    )
