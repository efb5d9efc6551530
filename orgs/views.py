from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import staff_visible
from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import apply_errors
from core.lists import list_page
from core.roles import Level
from orgs import lists, services
from orgs.forms import AgencyForm, UnitForm
from orgs.models import OrgUnit
from orgs.selectors import agencies_manageable, units_visible, units_with_counts
from orgs.validators import PARENT_LEVEL

_CHILD_LEVEL = {parent: child for child, parent in PARENT_LEVEL.items()}
_PLURAL = {Level.STATION: gettext_lazy("Street stations"), Level.COMMUNITY: gettext_lazy("Community rooms")}


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
            "children_heading": _PLURAL.get(child_level, ""),
            "child_level": child_level,
            "can_manage": can(request.user, Perm.ORG_MANAGE),
            "breadcrumbs": [*_unit_crumbs(unit, request.user), (unit.name, "")],
        },
    )


@requires(Perm.ORG_MANAGE)
def unit_create(request: HttpRequest, parent_id: int) -> HttpResponse:
    parent = get_in_scope_or_404(units_visible(request.user), request.user, "id", pk=parent_id)
    level = _CHILD_LEVEL.get(parent.level)
    if level is None:
        raise Http404
    form = UnitForm(
        request.POST or None, agencies=agencies_manageable(request.user), with_agency=level == Level.STATION
    )
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.orgunit_create(actor=request.user, level=level, parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": unit.name})
            return redirect("orgs:unit_detail", unit_id=unit.pk)
    title = _("New %(level)s under %(parent)s") % {"level": Level(level).label, "parent": parent.name}
    return render(
        request,
        "core/form.html",
        {
            "title": title,
            "form": form,
            "cancel_url": reverse("orgs:unit_detail", args=[parent.pk]),
            "breadcrumbs": [
                *_unit_crumbs(parent, request.user),
                (parent.name, reverse("orgs:unit_detail", args=[parent.pk])),
                (title, ""),
            ],
        },
    )


@requires(Perm.ORG_MANAGE)
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_in_scope_or_404(units_visible(request.user), request.user, "id", pk=unit_id)
    initial = {f: getattr(unit, f) for f in ("name", "code", "address", "latitude", "longitude", "agency")}
    form = UnitForm(
        request.POST or None,
        initial=initial,
        agencies=agencies_manageable(request.user),
        with_agency=unit.level == Level.STATION,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.orgunit_update(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("orgs:unit_detail", unit_id=unit.pk)
    title = _("Edit %(name)s") % {"name": unit.name}
    return render(
        request,
        "core/form.html",
        {
            "title": title,
            "form": form,
            "cancel_url": reverse("orgs:unit_detail", args=[unit.pk]),
            "breadcrumbs": [
                *_unit_crumbs(unit, request.user),
                (unit.name, reverse("orgs:unit_detail", args=[unit.pk])),
                (_("Edit"), ""),
            ],
        },
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
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_create(actor=request.user, unit=request.user.unit, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Agency saved."))
            return redirect("orgs:agency_list")
    return render(
        request,
        "core/form.html",
        {
            "title": _("New operating agency"),
            "form": form,
            "cancel_url": reverse("orgs:agency_list"),
            "breadcrumbs": [(_("Operating agencies"), reverse("orgs:agency_list")), (_("New"), "")],
        },
    )


@requires(Perm.ORG_MANAGE)
def agency_edit(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_in_scope_or_404(agencies_manageable(request.user), request.user, pk=agency_id)
    initial = {f: getattr(agency, f) for f in AgencyForm.base_fields}
    form = AgencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_update(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Agency saved."))
            return redirect("orgs:agency_list")
    return render(
        request,
        "core/form.html",
        {
            "title": _("Edit %(name)s") % {"name": agency.name},
            "form": form,
            "cancel_url": reverse("orgs:agency_list"),
            "breadcrumbs": [(_("Operating agencies"), reverse("orgs:agency_list")), (agency.name, "")],
        },
    )
