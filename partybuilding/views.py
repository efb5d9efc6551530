"""Party-building pages: the overview with the figures, Party organisations,
co-building agreements with their commitments and deliveries."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import form_page, with_tokens
from core.lists import list_page
from orgs.selectors import units_visible
from partners.selectors import enterprises_visible
from partybuilding import lists, services
from partybuilding.figures import overdue_commitments, party_figures
from partybuilding.forms import AgreementCreateForm, AgreementForm, CommitmentForm, DeliveryForm, OrganisationForm
from partybuilding.selectors import agreements_visible, commitments_visible, organisations_visible

if TYPE_CHECKING:
    from accounts.models import User

_HOME = "partybuilding:index"


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Party-building"), reverse(_HOME)), *more]


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    today = timezone.localdate()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year else today.year


@requires(Perm.VIEW)
def index(request: HttpRequest) -> HttpResponse:
    """The user's unit's Party-building figures for a year, and what is overdue."""
    user = cast("User", request.user)  # @requires let only a signed-in user through
    unit = user.unit
    year, today = _year(request), timezone.localdate()
    end = min(dt.date(year, 12, 31), today)
    figures = party_figures(unit, dt.date(year, 1, 1), end, today=today)
    overdue = (
        overdue_commitments([unit], today)
        .filter(pk__in=commitments_visible(user).values("pk"))
        .select_related("agreement", "agreement__unit")
        .order_by("due_on")[:20]
    )
    return render(
        request,
        "partybuilding/index.html",
        {
            "title": _("Party-building"),
            "year": year,
            "years": list(range(today.year, today.year - 5, -1)),
            "figures": figures,
            "overdue": overdue,
            "n_organisations": organisations_visible(user).count(),
            "can_edit": can(user, Perm.RECORD_EDIT),
            "breadcrumbs": [(_("Party-building"), "")],
        },
    )


@requires(Perm.VIEW)
def organisation_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.ORGANISATIONS,
        template="partybuilding/organisation_list.html",
        context={
            "title": _("Party organisations"),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": _crumbs((_("Party organisations"), "")),
        },
    )


@requires(Perm.RECORD_EDIT)
def organisation_create(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)
    list_url = reverse("partybuilding:organisations")
    return form_page(
        request,
        form=OrganisationForm(request.POST or None, units=units_visible(user), initial={"unit": user.unit_id}),
        act=lambda d: services.party_org_create(actor=user, **d),
        success=lambda _org: list_url,
        done_message=lambda org: _("%(name)s was registered.") % {"name": org.name},
        title=_("New Party organisation"),
        cancel_url=list_url,
        breadcrumbs=_crumbs((_("Party organisations"), list_url)),
    )


@requires(Perm.RECORD_EDIT)
def organisation_edit(request: HttpRequest, party_org_id: int) -> HttpResponse:
    user = cast("User", request.user)
    org = get_in_scope_or_404(organisations_visible(user), user, pk=party_org_id)
    initial = {f: getattr(org, f) for f in services.ORG_FIELDS}
    list_url = reverse("partybuilding:organisations")
    return form_page(
        request,
        form=OrganisationForm(request.POST or None, units=units_visible(user), initial=initial),
        act=lambda d: services.party_org_update(actor=user, org=org, **d),
        success=lambda _org: list_url,
        done_message=_("Changes saved."),
        title=_("Edit %(name)s") % {"name": org.name},
        cancel_url=list_url,
        breadcrumbs=_crumbs((_("Party organisations"), list_url)),
        edits=org,
    )


@requires(Perm.VIEW)
def agreement_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.AGREEMENTS,
        template="partybuilding/agreement_list.html",
        context={
            "title": _("Co-building agreements"),
            "can_edit": can(request.user, Perm.RECORD_EDIT),
            "breadcrumbs": _crumbs((_("Co-building agreements"), "")),
        },
    )


def _agreement_choices(user: Any) -> dict[str, Any]:
    return {"enterprises": enterprises_visible(user), "organisations": organisations_visible(user)}


@requires(Perm.RECORD_EDIT)
def agreement_create(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)
    list_url = reverse("partybuilding:agreements")
    form = AgreementCreateForm(
        request.POST or None, units=units_visible(user), initial={"unit": user.unit_id}, **_agreement_choices(user)
    )
    return form_page(
        request,
        form=form,
        act=lambda d: services.agreement_create(actor=user, **d),
        success=lambda a: reverse("partybuilding:agreement_detail", args=[a.pk]),
        done_message=_("Agreement saved: add its commitments below."),
        title=_("New co-building agreement"),
        cancel_url=list_url,
        breadcrumbs=_crumbs((_("Co-building agreements"), list_url)),
    )


@requires(Perm.RECORD_EDIT)
def agreement_edit(request: HttpRequest, agreement_id: int) -> HttpResponse:
    user = cast("User", request.user)
    agreement = get_in_scope_or_404(agreements_visible(user), user, pk=agreement_id)
    initial = {f: getattr(agreement, f) for f in services.AGREEMENT_FIELDS}
    url = reverse("partybuilding:agreement_detail", args=[agreement.pk])
    return form_page(
        request,
        form=AgreementForm(request.POST or None, initial=initial, **_agreement_choices(user)),
        act=lambda d: services.agreement_update(actor=user, agreement=agreement, **d),
        success=lambda _a: url,
        done_message=_("Changes saved."),
        title=_("Edit %(name)s") % {"name": agreement.partner},
        cancel_url=url,
        breadcrumbs=_crumbs(
            (_("Co-building agreements"), reverse("partybuilding:agreements")), (agreement.partner, url)
        ),
        edits=agreement,
    )


@requires(Perm.VIEW)
def agreement_detail(request: HttpRequest, agreement_id: int) -> HttpResponse:
    user = cast("User", request.user)
    agreement = get_in_scope_or_404(agreements_visible(user), user, pk=agreement_id)
    can_edit = can(user, Perm.RECORD_EDIT)
    return render(
        request,
        "partybuilding/agreement_detail.html",
        {
            "title": agreement.partner,
            "a": agreement,
            "commitments": list(agreement.commitments.all()),
            "today": timezone.localdate(),
            "can_edit": can_edit,
            "commitment_form": with_tokens(CommitmentForm()) if can_edit else None,
            "breadcrumbs": _crumbs(
                (_("Co-building agreements"), reverse("partybuilding:agreements")), (agreement.partner, "")
            ),
        },
    )


@requires(Perm.RECORD_EDIT)
def commitment_create(request: HttpRequest, agreement_id: int) -> HttpResponse:
    user = cast("User", request.user)
    agreement = get_in_scope_or_404(agreements_visible(user), user, pk=agreement_id)
    url = reverse("partybuilding:agreement_detail", args=[agreement.pk])
    return form_page(
        request,
        form=CommitmentForm(request.POST or None),
        act=lambda d: services.commitment_create(actor=user, agreement=agreement, **d),
        success=lambda _c: url,
        done_message=_("Commitment added."),
        title=_("New commitment: %(name)s") % {"name": agreement.partner},
        cancel_url=url,
        breadcrumbs=_crumbs(
            (_("Co-building agreements"), reverse("partybuilding:agreements")), (agreement.partner, url)
        ),
    )


@requires(Perm.RECORD_EDIT)
def commitment_deliver(request: HttpRequest, commitment_id: int) -> HttpResponse:
    user = cast("User", request.user)
    commitment = get_in_scope_or_404(commitments_visible(user), user, "agreement__unit", pk=commitment_id)
    agreement = commitment.agreement
    url = reverse("partybuilding:agreement_detail", args=[agreement.pk])
    return form_page(
        request,
        form=DeliveryForm(request.POST or None, initial={"delivered_on": timezone.localdate()}),
        act=lambda d: services.commitment_deliver(actor=user, commitment=commitment, **d),
        success=lambda _c: url,
        done_message=_("Delivery recorded."),
        title=_("Delivery of: %(content)s") % {"content": commitment.content},
        intro=_("To be delivered by %(date)s.") % {"date": commitment.due_on.isoformat()},
        cancel_url=url,
        breadcrumbs=_crumbs(
            (_("Co-building agreements"), reverse("partybuilding:agreements")), (agreement.partner, url)
        ),
    )
