from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.selectors import staff_visible
from core import identity
from core.access import Perm, can, get_in_scope_or_404, requires, unit_subtree
from core.forms import apply_errors
from core.lists import list_page
from core.models import ServiceDomain
from core.roles import Role
from volunteers import lists, selectors, services
from volunteers.forms import TeamForm, VolunteerForm, availability_to_choices


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


def _volunteer_form(request: HttpRequest, initial: dict | None = None) -> VolunteerForm:
    return VolunteerForm(
        request.POST or None,
        initial=initial,
        units=unit_subtree(request.user).order_by("path"),
        skills=selectors.skills(),
        domains=ServiceDomain.objects.filter(active=True),
        teams=selectors.teams_visible(request.user),
    )


def _form_page(request: HttpRequest, form: Any, title: str, cancel: str, crumbs: list) -> HttpResponse:
    return render(
        request,
        "core/form.html",
        {"title": title, "form": form, "cancel_url": cancel, "breadcrumbs": [*crumbs, (title, "")]},
    )


@requires(Perm.RECORD_EDIT)
def volunteer_create(request: HttpRequest) -> HttpResponse:
    form = _volunteer_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            v = services.volunteer_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": v.name})
            return redirect("volunteers:volunteer_detail", volunteer_id=v.pk)
    return _form_page(request, form, _("New volunteer"), reverse("volunteers:volunteer_list"), _crumbs())


@requires(Perm.RECORD_EDIT)
def volunteer_edit(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    v = get_in_scope_or_404(selectors.volunteers_visible(request.user), request.user, pk=volunteer_id)
    initial = {f: getattr(v, f) for f in services.FIELDS if f not in ("latitude", "longitude", "is_active")}
    initial.update(
        availability=availability_to_choices(v.availability),
        skills=v.skills.all(),
        domains=v.domains.all(),
        teams=v.teams.all(),
    )
    form = _volunteer_form(request, initial)
    form.fields["resident_id"].help_text = _("Leave empty to keep the stored ID.")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["resident_id"] = data["resident_id"] or None
        for key in ("sex", "birth_date"):
            if not data.get(key):
                data.pop(key)
        try:
            services.volunteer_update(actor=request.user, volunteer=v, **data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("volunteers:volunteer_detail", volunteer_id=v.pk)
    detail = reverse("volunteers:volunteer_detail", args=[v.pk])
    return _form_page(request, form, _("Edit %(name)s") % {"name": v.name}, detail, _crumbs((v.name, detail)))


def _leaders(user: Any) -> Any:
    return staff_visible(user).filter(role__in=[Role.SOCIAL_WORKER, Role.STATION_LEAD], is_active=True)


@requires(Perm.VIEW)
def team_list(request: HttpRequest) -> HttpResponse:
    from django.db.models import Count

    teams = selectors.teams_visible(request.user).annotate(n=Count("members"))
    return render(
        request,
        "volunteers/team_list.html",
        {
            "title": _("Volunteer teams"),
            "teams": teams,
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": _crumbs((_("Volunteer teams"), "")),
        },
    )


@requires(Perm.RECORD_EDIT)
def team_create(request: HttpRequest) -> HttpResponse:
    form = TeamForm(
        request.POST or None, units=unit_subtree(request.user).order_by("path"), leaders=_leaders(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.team_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("volunteers:team_list")
    crumbs = _crumbs((_("Volunteer teams"), reverse("volunteers:team_list")))
    return _form_page(request, form, _("New volunteer team"), reverse("volunteers:team_list"), crumbs)


@requires(Perm.RECORD_EDIT)
def team_edit(request: HttpRequest, team_id: int) -> HttpResponse:
    team = get_in_scope_or_404(selectors.teams_visible(request.user), request.user, pk=team_id)
    form = TeamForm(
        request.POST or None,
        initial={"unit": team.unit, "name": team.name, "leader": team.leader},
        units=unit_subtree(request.user).order_by("path"),
        leaders=_leaders(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(actor=request.user, team=team, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("volunteers:team_list")
    crumbs = _crumbs((_("Volunteer teams"), reverse("volunteers:team_list")))
    return _form_page(request, form, _("Edit %(name)s") % {"name": team.name}, reverse("volunteers:team_list"), crumbs)
