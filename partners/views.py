from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib import messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import Perm, can, get_in_scope_or_404, requires, unit_subtree
from core.forms import form_page
from core.lists import ListResult, list_page
from core.models import ServiceDomain
from partners import lists, selectors, services
from partners.forms import EnterpriseForm, EntryForm, OfferForm, OrganisationForm
from partners.models import EnterpriseOffer
from projects.selectors import projects_linkable

if TYPE_CHECKING:
    from accounts.models import User
    from orgs.models import OrgUnit


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)  # @requires let only a signed-in user through


def _units(request: HttpRequest) -> QuerySet[OrgUnit]:
    return unit_subtree(request.user).order_by("path")


def _page(
    request: HttpRequest,
    form: forms.Form,
    act: Callable[[dict[str, Any]], Any],
    then: str,
    title: str,
    cancel: str,
    crumbs: list[tuple[str, str]],
    edits: models.Model | None = None,
) -> HttpResponse:
    """The partners' form pages: saved, they say so and go to `then`."""
    return form_page(
        request,
        form=form,
        act=act,
        success=lambda _obj: then,
        done_message=_("Saved."),
        title=title,
        cancel_url=cancel,
        breadcrumbs=crumbs,
        edits=edits,
    )


# ---------------------------------------------------------------- enterprises

_ENT = (_("Caring enterprises"), "partners:enterprise_list")


def _ent_crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(str(_ENT[0]), reverse(_ENT[1])), *extra]


@requires(Perm.VIEW)
def enterprise_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.ENTERPRISES,
        template="partners/enterprise_list.html",
        context={
            "title": _("Caring enterprises"),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Caring enterprises"), "")],
        },
    )


@requires(Perm.VIEW)
def enterprise_detail(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    e = get_in_scope_or_404(selectors.enterprises_visible(request.user), request.user, pk=enterprise_id)
    return render(
        request,
        "partners/enterprise_detail.html",
        {
            "title": e.name,
            "e": e,
            "offers": e.offers.all(),
            "entries": selectors.entries_visible(request.user).filter(enterprise=e)[:20],
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": _ent_crumbs((e.name, "")),
        },
    )


@requires(Perm.RECORD_EDIT)
def enterprise_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return form_page(
        request,
        form=EnterpriseForm(request.POST or None, units=_units(request)),
        act=lambda d: services.enterprise_create(actor=user, **d),
        success=lambda e: reverse("partners:enterprise_detail", args=[e.pk]),
        done_message=_("Saved."),
        title=_("New caring enterprise"),
        cancel_url=reverse(_ENT[1]),
        breadcrumbs=_ent_crumbs(),
    )


@requires(Perm.RECORD_EDIT)
def enterprise_edit(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    user = _user(request)
    e = get_in_scope_or_404(selectors.enterprises_visible(user), user, pk=enterprise_id)
    initial = {f: getattr(e, f) for f in ("unit", "name", "credit_code", "contact_person", "phone", "address")}
    form = EnterpriseForm(request.POST or None, initial=initial, units=_units(request))
    detail = reverse("partners:enterprise_detail", args=[e.pk])
    return _page(
        request,
        form,
        lambda d: services.enterprise_update(actor=user, enterprise=e, **d),
        detail,
        _("Edit %(name)s") % {"name": e.name},
        detail,
        _ent_crumbs((e.name, detail)),
        edits=e,
    )


@requires(Perm.RECORD_EDIT)
def offer_add(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    user = _user(request)
    e = get_in_scope_or_404(selectors.enterprises_visible(user), user, pk=enterprise_id)
    detail = reverse("partners:enterprise_detail", args=[e.pk])
    return _page(
        request,
        OfferForm(request.POST or None),
        lambda d: services.offer_add(actor=user, enterprise=e, **d),
        detail,
        _("What the enterprise offers"),
        detail,
        _ent_crumbs((e.name, detail)),
    )


@require_POST
@requires(Perm.RECORD_EDIT)
def offer_remove(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = get_in_scope_or_404(
        EnterpriseOffer.objects.select_related("enterprise__unit"), request.user, "enterprise__unit", pk=offer_id
    )
    services.offer_remove(actor=request.user, offer=offer)
    messages.success(request, _("Removed."))
    return redirect("partners:enterprise_detail", enterprise_id=offer.enterprise_id)


# ---------------------------------------------------------------- organisations


def _org_crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Community organisations"), reverse("partners:organisation_list")), *extra]


@requires(Perm.VIEW)
def organisation_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.ORGANISATIONS,
        template="partners/organisation_list.html",
        prepare=lists.organisation_totals,
        context={
            "title": _("Community organisations"),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "results_head": "partners/_organisation_totals.html",
            "breadcrumbs": [(_("Community organisations"), "")],
        },
    )


def _org_form(request: HttpRequest, initial: dict[str, Any] | None = None) -> OrganisationForm:
    return OrganisationForm(
        request.POST or None, initial=initial, units=_units(request), domains=ServiceDomain.objects.filter(active=True)
    )


@requires(Perm.RECORD_EDIT)
def organisation_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    orgs = reverse("partners:organisation_list")
    return _page(
        request,
        _org_form(request),
        lambda d: services.organisation_create(actor=user, **d),
        orgs,
        _("New community organisation"),
        orgs,
        _org_crumbs(),
    )


@requires(Perm.RECORD_EDIT)
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    user = _user(request)
    o = get_in_scope_or_404(selectors.organisations_visible(user), user, pk=organisation_id)
    orgs = reverse("partners:organisation_list")
    return _page(
        request,
        _org_form(request, {f: getattr(o, f) for f in services.ORG_FIELDS if f != "is_active"}),
        lambda d: services.organisation_update(actor=user, organisation=o, **d),
        orgs,
        _("Edit %(name)s") % {"name": o.name},
        orgs,
        _org_crumbs(),
        edits=o,
    )


# ---------------------------------------------------------------- ledger


@requires(Perm.VIEW)
def ledger(request: HttpRequest) -> HttpResponse:
    def totals(result: ListResult) -> dict[str, Any]:
        filterset = result.filterset
        data = filterset.form.cleaned_data if filterset is not None and filterset.is_bound else {}
        period = data.get("period") or "month"
        return {"totals": selectors.ledger_totals(request.user, result.qs, period)}

    return list_page(
        request,
        lists.LEDGER,
        template="partners/ledger.html",
        prepare=totals,
        context={
            "title": _("Charitable resources ledger"),
            "results_head": "partners/_ledger_totals.html",
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Charitable resources ledger"), "")],
        },
    )


def _entry_form(request: HttpRequest, initial: dict[str, Any] | None = None) -> EntryForm:
    return EntryForm(
        request.POST or None,
        initial=initial,
        units=_units(request),
        enterprises=selectors.enterprises_visible(request.user),
        projects=projects_linkable(request.user),
    )


@requires(Perm.RECORD_EDIT)
def entry_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    ledger = reverse("partners:ledger")
    return _page(
        request,
        _entry_form(request, {"unit": user.unit}),
        lambda d: services.entry_create(actor=user, **d),
        ledger,
        _("New ledger entry"),
        ledger,
        [(_("Charitable resources ledger"), ledger)],
    )


@requires(Perm.RECORD_EDIT)
def entry_edit(request: HttpRequest, ledger_entry_id: int) -> HttpResponse:
    user = _user(request)
    e = get_in_scope_or_404(selectors.entries_visible(user), user, pk=ledger_entry_id)
    ledger = reverse("partners:ledger")
    return _page(
        request,
        _entry_form(request, {f: getattr(e, f) for f in services.ENTRY_FIELDS}),
        lambda d: services.entry_update(actor=user, entry=e, **d),
        ledger,
        _("Edit ledger entry"),
        ledger,
        [(_("Charitable resources ledger"), ledger)],
        edits=e,
    )
