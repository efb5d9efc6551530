from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import staff_visible
from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import form_page
from core.lists import list_page
from core.roles import Level
from orgs import lists, profiles, services
from orgs.forms import AgencyForm, UnitForm
from orgs.models import OrgUnit
from orgs.selectors import agencies_manageable, units_visible, units_with_counts
from orgs.validators import PARENT_LEVEL

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User

_CHILD_LEVEL: dict[str, str] = {parent: child for child, parent in PARENT_LEVEL.items()}
_PLURAL: dict[str, StrOrPromise] = {
    Level.STATION: gettext_lazy("Street stations"),
    Level.COMMUNITY: gettext_lazy("Community rooms"),
}


def _unit_crumbs(unit: OrgUnit, user: object) -> list[tuple[str, str]]:
    crumbs = [(_("Units"), reverse("orgs:unit_list"))]
    visible = {u.pk for u in units_visible(user).filter(path__in=[a.path for a in unit.ancestors()])}
    for ancestor in unit.ancestors():
        if ancestor.pk in visible:
            crumbs.append((ancestor.name, reverse("orgs:unit_detail", args=[ancestor.pk])))
    return crumbs


@requires(Perm.VIEW)
def unit_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.UNITS,
        template="orgs/unit_list.html",
        context={"title": _("Units"), "breadcrumbs": [(_("Units"), "")]},
    )


@requires(Perm.VIEW)
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_in_scope_or_404(units_visible(request.user), request.user, "id", pk=unit_id)
    children = units_with_counts(request.user).filter(parent=unit)
    staff = staff_visible(request.user).filter(unit=unit)
    child_level = _CHILD_LEVEL.get(unit.level)
    return render(
        request,
        "orgs/unit_detail.html",
        {
            "title": unit.name,
            "unit": unit,
            "children": children,
            "staff": staff,
            "child_level_label": Level(child_level).label if child_level else "",
            "children_heading": _PLURAL.get(child_level, "") if child_level else "",
            "child_level": child_level,
            "can_manage": can(request.user, Perm.ORG_MANAGE),
            "profile": profiles.profile_of(unit) if unit.level == Level.COMMUNITY else None,
            "can_edit_profile": profiles.may_edit_profile(request.user, unit),
            "breadcrumbs": [*_unit_crumbs(unit, request.user), (unit.name, "")],
        },
    )


@requires(Perm.ORG_MANAGE)
def unit_create(request: HttpRequest, parent_id: int) -> HttpResponse:
    user = cast("User", request.user)  # @requires let only a signed-in user through
    parent = get_in_scope_or_404(units_visible(user), user, "id", pk=parent_id)
    level = _CHILD_LEVEL.get(parent.level)
    if level is None:
        raise Http404
    form = UnitForm(
        request.POST or None, agencies=agencies_manageable(user), with_agency=OrgUnit.level_has_agency(level)
    )
    parent_url = reverse("orgs:unit_detail", args=[parent.pk])
    return form_page(
        request,
        form=form,
        act=lambda d: services.orgunit_create(actor=user, level=level, parent=parent, **d),
        success=lambda unit: reverse("orgs:unit_detail", args=[unit.pk]),
        done_message=lambda unit: _("%(name)s was created.") % {"name": unit.name},
        title=_("New %(level)s under %(parent)s") % {"level": Level(level).label, "parent": parent.name},
        cancel_url=parent_url,
        breadcrumbs=[*_unit_crumbs(parent, user), (parent.name, parent_url)],
    )


@requires(Perm.ORG_MANAGE)
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = cast("User", request.user)  # @requires let only a signed-in user through
    unit = get_in_scope_or_404(units_visible(user), user, "id", pk=unit_id)
    initial = {f: getattr(unit, f) for f in ("name", "code", "address", "latitude", "longitude", "agency")}
    form = UnitForm(
        request.POST or None,
        initial=initial,
        agencies=agencies_manageable(user),
        with_agency=unit.has_agency,
    )
    unit_url = reverse("orgs:unit_detail", args=[unit.pk])
    return form_page(
        request,
        form=form,
        act=lambda d: services.orgunit_update(actor=user, unit=unit, **d),
        success=lambda _unit: unit_url,
        done_message=_("Changes saved."),
        title=_("Edit %(name)s") % {"name": unit.name},
        cancel_url=unit_url,
        breadcrumbs=[*_unit_crumbs(unit, user), (unit.name, unit_url)],
        edits=unit,
    )


@requires(Perm.VIEW)
def agency_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.AGENCIES,
        template="orgs/agency_list.html",
        context={
            "title": _("Operating agencies"),
            "can_manage": can(request.user, Perm.ORG_MANAGE),
            "breadcrumbs": [(_("Operating agencies"), "")],
        },
    )


@requires(Perm.ORG_MANAGE)
def agency_create(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)  # @requires let only a signed-in user through
    unit = user.unit
    assert unit is not None  # @requires admits only users placed in a unit
    list_url = reverse("orgs:agency_list")
    return form_page(
        request,
        form=AgencyForm(request.POST or None),
        act=lambda d: services.agency_create(actor=user, unit=unit, **d),
        success=lambda _agency: list_url,
        done_message=_("Agency saved."),
        title=_("New operating agency"),
        cancel_url=list_url,
        breadcrumbs=[(_("Operating agencies"), list_url)],
    )


@requires(Perm.ORG_MANAGE)
def agency_edit(request: HttpRequest, agency_id: int) -> HttpResponse:
    user = cast("User", request.user)  # @requires let only a signed-in user through
    agency = get_in_scope_or_404(agencies_manageable(user), user, pk=agency_id)
    initial = {f: getattr(agency, f) for f in AgencyForm.base_fields}
    list_url = reverse("orgs:agency_list")
    return form_page(
        request,
        form=AgencyForm(request.POST or None, initial=initial),
        act=lambda d: services.agency_update(actor=user, agency=agency, **d),
        success=lambda _agency: list_url,
        done_message=_("Agency saved."),
        title=_("Edit %(name)s") % {"name": agency.name},
        cancel_url=list_url,
        breadcrumbs=[(_("Operating agencies"), list_url)],
        edits=agency,
    )
