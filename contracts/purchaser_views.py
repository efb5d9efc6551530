"""The purchaser's pages of a contract: its edit page, payment tranches,
evaluations and the signed copy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from contracts import purchaser, services
from contracts.forms import ContractForm
from contracts.models import Contract
from contracts.purchaser_forms import ContractFileForm, EvaluationForm, TrancheForm
from contracts.selectors import contracts_visible, evaluations_visible, tranches_visible
from core import uploads
from core.access import Perm, get_in_scope_or_404, requires
from core.forms import form_page
from orgs.selectors import agencies_manageable, units_visible

if TYPE_CHECKING:
    from accounts.models import User


def _contract(request: HttpRequest, contract_id: int) -> Contract:
    return get_in_scope_or_404(contracts_visible(request.user), request.user, "stations", pk=contract_id)


def _managed(request: HttpRequest, contract_id: int) -> Contract:
    """A contract registered in the user's subtree (a station covered by a
    district contract sees it, but only the purchaser's side edits it)."""
    return get_in_scope_or_404(contracts_visible(request.user), request.user, "unit", pk=contract_id)


def _crumbs(contract: Contract) -> list[tuple[str, str]]:
    return [
        (_("Service contracts"), reverse("contracts:contract_list")),
        (contract.name, reverse("contracts:contract_detail", args=[contract.pk])),
    ]


@requires(Perm.CONTRACT_MANAGE)
def contract_edit(request: HttpRequest, contract_id: int) -> HttpResponse:
    user = cast("User", request.user)
    contract = _managed(request, contract_id)
    fields: dict[str, Any] = {
        f: getattr(contract, f) for f in ("name", "number", "purchaser", "purchaser_kind", "start", "end", "budget")
    }
    fields["agency"] = contract.agency_id
    fields["stations"] = list(contract.stations.values_list("pk", flat=True))
    form = ContractForm(
        request.POST or None, initial=fields, agencies=agencies_manageable(user), units=units_visible(user)
    )
    url = reverse("contracts:contract_detail", args=[contract.pk])
    return form_page(
        request,
        form=form,
        act=lambda d: services.contract_update(actor=user, contract=contract, **d),
        success=lambda _c: url,
        done_message=_("Contract saved."),
        title=_("Edit %(name)s") % {"name": contract.name},
        cancel_url=url,
        breadcrumbs=_crumbs(contract),
        edits=contract,
    )


@requires(Perm.CONTRACT_MANAGE)
def tranche_add(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _managed(request, contract_id)
    url = reverse("contracts:contract_detail", args=[contract.pk])
    return form_page(
        request,
        form=TrancheForm(request.POST or None),
        act=lambda d: purchaser.tranche_add(actor=request.user, contract=contract, **d),
        success=lambda _t: url + "#tranches",
        done_message=_("Payment tranche added."),
        title=_("New payment tranche"),
        intro=_("Within the contract period (%(start)s – %(end)s); all tranches together at most %(budget)s.")
        % {"start": contract.start, "end": contract.end, "budget": contract.budget},
        cancel_url=url,
        breadcrumbs=_crumbs(contract),
    )


@requires(Perm.CONTRACT_MANAGE)
def tranche_edit(request: HttpRequest, contract_id: int, tranche_id: int) -> HttpResponse:
    contract = _managed(request, contract_id)
    tranche = get_in_scope_or_404(
        tranches_visible(request.user).filter(contract=contract), request.user, "contract__unit", pk=tranche_id
    )
    url = reverse("contracts:contract_detail", args=[contract.pk])
    initial = {f: getattr(tranche, f) for f in ("due_on", "amount", "condition", "paid_on")}
    return form_page(
        request,
        form=TrancheForm(request.POST or None, initial=initial),
        act=lambda d: purchaser.tranche_update(actor=request.user, tranche=tranche, **d),
        success=lambda _t: url + "#tranches",
        done_message=_("Payment tranche saved."),
        title=_("Payment tranche due %(date)s") % {"date": tranche.due_on},
        cancel_url=url,
        breadcrumbs=_crumbs(contract),
        edits=tranche,
    )


@requires(Perm.CONTRACT_MANAGE)
def evaluation_add(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _managed(request, contract_id)
    url = reverse("contracts:contract_detail", args=[contract.pk])
    return form_page(
        request,
        form=EvaluationForm(request.POST or None, request.FILES or None),
        act=lambda d: purchaser.evaluation_record(actor=request.user, contract=contract, **d),
        success=lambda _e: url + "#evaluations",
        done_message=_("Evaluation recorded."),
        title=_("Record an evaluation"),
        cancel_url=url,
        breadcrumbs=_crumbs(contract),
    )


@requires(Perm.CONTRACT_MANAGE)
def contract_file(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = _managed(request, contract_id)
    url = reverse("contracts:contract_detail", args=[contract.pk])
    return form_page(
        request,
        form=ContractFileForm(request.POST or None, request.FILES or None),
        act=lambda d: purchaser.contract_file_attach(actor=request.user, contract=contract, **d),
        success=lambda _c: url,
        done_message=_("Signed contract attached."),
        title=_("Attach the signed contract"),
        intro=_("A new file replaces the one attached before."),
        cancel_url=url,
        breadcrumbs=_crumbs(contract),
    )


def _stream(file: Any, content_type: str, name: str) -> FileResponse:
    return uploads.serve(file.open("rb"), content_type, filename=name)


@requires(Perm.VIEW)
def contract_file_view(request: HttpRequest, contract_id: int) -> FileResponse:
    contract = _contract(request, contract_id)
    if not contract.signed_file:
        raise Http404
    purchaser.contract_file_downloaded(actor=request.user, contract=contract, name=contract.signed_file_name)
    return _stream(contract.signed_file, contract.signed_file_type, contract.signed_file_name)


@requires(Perm.VIEW)
def evaluation_file_view(request: HttpRequest, contract_evaluation_id: int) -> FileResponse:
    evaluation = get_in_scope_or_404(
        evaluations_visible(request.user).exclude(file=""),
        request.user,
        "contract__stations",
        pk=contract_evaluation_id,
    )
    purchaser.contract_file_downloaded(actor=request.user, contract=evaluation.contract, name=evaluation.file_name)
    return _stream(evaluation.file, evaluation.file_type, evaluation.file_name)
