from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import Perm, can, get_in_scope_or_404, requires, unit_subtree
from core.forms import apply_errors
from core.lists import ListResult, list_page
from core.models import ServiceDomain
from partners import lists, selectors, services
from partners.forms import EnterpriseForm, EntryForm, OfferForm, OrganisationForm
from partners.models import EnterpriseOffer


def _form_page(request: HttpRequest, form: Any, title: str, cancel: str, crumbs: list) -> HttpResponse:
    return render(
        request,
        "core/form.html",
        {"title": title, "form": form, "cancel_url": cancel, "breadcrumbs": [*crumbs, (title, "")]},
    )


def _units(request: HttpRequest) -> Any:
    return unit_subtree(request.user).order_by("path")


def _save(request: HttpRequest, form: Any, act: Any, ok: Any) -> HttpResponse | None:
    if request.method == "POST" and form.is_valid():
        try:
            obj = act(form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return ok(obj)
    return None


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
    form = EnterpriseForm(request.POST or None, units=_units(request))
    done = _save(
        request,
        form,
        lambda d: services.enterprise_create(actor=request.user, **d),
        lambda e: redirect("partners:enterprise_detail", enterprise_id=e.pk),
    )
    return done or _form_page(request, form, _("New caring enterprise"), reverse(_ENT[1]), _ent_crumbs())


@requires(Perm.RECORD_EDIT)
def enterprise_edit(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    e = get_in_scope_or_404(selectors.enterprises_visible(request.user), request.user, pk=enterprise_id)
    initial = {f: getattr(e, f) for f in ("unit", "name", "credit_code", "contact_person", "phone", "address")}
    form = EnterpriseForm(request.POST or None, initial=initial, units=_units(request))
    detail = reverse("partners:enterprise_detail", args=[e.pk])
    done = _save(
        request,
        form,
        lambda d: services.enterprise_update(actor=request.user, enterprise=e, **d),
        lambda _e: redirect(detail),
    )
    return done or _form_page(
        request, form, _("Edit %(name)s") % {"name": e.name}, detail, _ent_crumbs((e.name, detail))
    )


@requires(Perm.RECORD_EDIT)
def offer_add(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    e = get_in_scope_or_404(selectors.enterprises_visible(request.user), request.user, pk=enterprise_id)
    form = OfferForm(request.POST or None)
    detail = reverse("partners:enterprise_detail", args=[e.pk])
    done = _save(
        request, form, lambda d: services.offer_add(actor=request.user, enterprise=e, **d), lambda _o: redirect(detail)
    )
    return done or _form_page(request, form, _("What the enterprise offers"), detail, _ent_crumbs((e.name, detail)))


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


def _org_form(request: HttpRequest, initial: dict | None = None) -> OrganisationForm:
    return OrganisationForm(
        request.POST or None, initial=initial, units=_units(request), domains=ServiceDomain.objects.filter(active=True)
    )


@requires(Perm.RECORD_EDIT)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = _org_form(request)
    done = _save(
        request,
        form,
        lambda d: services.organisation_create(actor=request.user, **d),
        lambda _o: redirect("partners:organisation_list"),
    )
    return done or _form_page(
        request, form, _("New community organisation"), reverse("partners:organisation_list"), _org_crumbs()
    )


@requires(Perm.RECORD_EDIT)
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    o = get_in_scope_or_404(selectors.organisations_visible(request.user), request.user, pk=organisation_id)
    form = _org_form(request, {f: getattr(o, f) for f in services.ORG_FIELDS if f != "is_active"})
    done = _save(
        request,
        form,
        lambda d: services.organisation_update(actor=request.user, organisation=o, **d),
        lambda _o: redirect("partners:organisation_list"),
    )
    return done or _form_page(
        request, form, _("Edit %(name)s") % {"name": o.name}, reverse("partners:organisation_list"), _org_crumbs()
    )


# ---------------------------------------------------------------- ledger


@requires(Perm.VIEW)
def ledger(request: HttpRequest) -> HttpResponse:
    def totals(result: ListResult) -> dict[str, Any]:
        data = result.filterset.form.cleaned_data if result.filterset.is_bound else {}
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


def _entry_form(request: HttpRequest, initial: dict | None = None) -> EntryForm:
    return EntryForm(
        request.POST or None,
        initial=initial,
        units=_units(request),
        enterprises=selectors.enterprises_visible(request.user),
    )


@requires(Perm.RECORD_EDIT)
def entry_create(request: HttpRequest) -> HttpResponse:
    form = _entry_form(request, {"unit": request.user.unit})
    done = _save(
        request, form, lambda d: services.entry_create(actor=request.user, **d), lambda _e: redirect("partners:ledger")
    )
    crumbs = [(_("Charitable resources ledger"), reverse("partners:ledger"))]
    return done or _form_page(request, form, _("New ledger entry"), reverse("partners:ledger"), crumbs)


@requires(Perm.RECORD_EDIT)
def entry_edit(request: HttpRequest, ledger_entry_id: int) -> HttpResponse:
    e = get_in_scope_or_404(selectors.entries_visible(request.user), request.user, pk=ledger_entry_id)
    form = _entry_form(request, {f: getattr(e, f) for f in services.ENTRY_FIELDS})
    done = _save(
        request,
        form,
        lambda d: services.entry_update(actor=request.user, entry=e, **d),
        lambda _e: redirect("partners:ledger"),
    )
    crumbs = [(_("Charitable resources ledger"), reverse("partners:ledger"))]
    return done or _form_page(request, form, _("Edit ledger entry"), reverse("partners:ledger"), crumbs)
