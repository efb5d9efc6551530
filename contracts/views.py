from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from contracts import lists, services
from contracts.actuals import actual
from contracts.forms import ContractForm, TargetsForm
from contracts.models import Contract, Kpi
from contracts.progress import PERIOD_KINDS, contract_progress, describe, measured_range, period_for
from contracts.purchaser import purchaser_context
from contracts.selectors import contracts_visible, kpis_of, stations_of
from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import form_page
from core.lists import list_page
from orgs.selectors import agencies_manageable, units_visible

if TYPE_CHECKING:
    from accounts.models import User
    from orgs.models import OrgUnit

# The kinds of record a summed figure adds up (contracts.actuals' parts).
BREAKDOWN_LABELS = {
    "activities": pgettext_lazy("breakdown", "activities"),
    "groups": pgettext_lazy("breakdown", "group sessions"),
    "cases": pgettext_lazy("breakdown", "case services"),
    "visits": pgettext_lazy("breakdown", "visits"),
    "tasks": pgettext_lazy("breakdown", "help tasks"),
    "party_members": pgettext_lazy("breakdown", "of whom Party members"),
}


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Service contracts"), reverse("contracts:contract_list")), *extra]


def parse_period(request: HttpRequest, contract: Contract | None = None) -> Any:
    kind = request.GET.get("period", "quarter")
    if kind not in PERIOD_KINDS or (kind == "contract" and contract is None):
        kind = "quarter"
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = timezone.localdate()
    return period_for(kind, day, contract)


@requires(Perm.VIEW)
def contract_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "contracts/contract_list.html",
        {
            "title": _("Service contracts"),
            "contracts": contracts_visible(request.user),
            "can_manage": can(request.user, Perm.CONTRACT_MANAGE),
            "breadcrumbs": _crumbs(),
        },
    )


@requires(Perm.CONTRACT_MANAGE)
def contract_create(request: HttpRequest) -> HttpResponse:
    user = cast("User", request.user)  # @requires let only a signed-in user with a unit through
    form = ContractForm(request.POST or None, agencies=agencies_manageable(user), units=units_visible(user))
    return form_page(
        request,
        form=form,
        act=lambda d: services.contract_create(actor=user, unit=cast("OrgUnit", user.unit), **d),
        success=lambda c: reverse("contracts:contract_detail", args=[c.pk]),
        done_message=_("Contract saved. Now set each station's targets."),
        title=_("New service contract"),
        cancel_url=reverse("contracts:contract_list"),
        breadcrumbs=_crumbs(),
    )


@requires(Perm.VIEW)
def contract_detail(request: HttpRequest, contract_id: int) -> HttpResponse:
    contract = get_in_scope_or_404(contracts_visible(request.user), request.user, "stations", pk=contract_id)
    period = parse_period(request, contract)
    stations = list(stations_of(request.user, contract))
    rows = contract_progress(contract, stations, period)
    columns = list(kpis_of(contract))
    table = []
    for row in rows:
        by_code = {c.kpi.code: c for c in row.cells}
        table.append({"row": row, "cells": [by_code.get(k.code) for k in columns]})
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "title": contract.name,
            "contract": contract,
            "period": period,
            "period_name": describe(period),
            "period_kinds": [(k, describe(period_for(k, period.start, contract))) for k in PERIOD_KINDS],
            "columns": columns,
            "table": table,
            "behind": [r for r in rows if r.behind],
            **purchaser_context(contract),
            "can_manage": can(request.user, Perm.CONTRACT_MANAGE),
            "breadcrumbs": _crumbs((contract.name, "")),
        },
    )


@requires(Perm.CONTRACT_MANAGE)
def targets_edit(request: HttpRequest, contract_id: int, station_id: int) -> HttpResponse:
    contract = get_in_scope_or_404(contracts_visible(request.user), request.user, "stations", pk=contract_id)
    unit = get_in_scope_or_404(stations_of(request.user, contract), request.user, "id", pk=station_id)
    catalogue = list(kpis_of(contract))
    initial = {t.kpi.code: t.target for t in contract.targets.filter(unit=unit).select_related("kpi")}
    form = TargetsForm(request.POST or None, initial=initial, kpis=catalogue)
    url = reverse("contracts:contract_detail", args=[contract.pk])
    return form_page(
        request,
        form=form,
        act=lambda d: services.targets_set(actor=request.user, contract=contract, unit=unit, values=d),
        success=lambda _t: url,
        done_message=_("Targets saved."),
        title=_("Targets of %(station)s") % {"station": unit.name},
        intro=_("Targets cover the whole contract period (%(start)s – %(end)s); rates and satisfaction in %%.")
        % {"start": contract.start, "end": contract.end},
        cancel_url=url,
        breadcrumbs=_crumbs((contract.name, url)),
        edits=f"contracts.targets:{contract.pk}:{unit.pk}",
    )


@requires(Perm.VIEW)
def kpi_records(request: HttpRequest, contract_id: int, station_id: int, kpi: str) -> HttpResponse:
    """The records behind one figure: a station's actual for a KPI and period."""
    contract = get_in_scope_or_404(contracts_visible(request.user), request.user, "stations", pk=contract_id)
    unit = get_in_scope_or_404(stations_of(request.user, contract), request.user, "id", pk=station_id)
    try:
        definition = Kpi.objects.get(code=kpi)
    except Kpi.DoesNotExist as exc:
        raise Http404 from exc
    period = parse_period(request, contract)
    span = measured_range(contract, period, timezone.localdate())
    result = actual(kpi, [unit], *span) if span else None
    url = reverse("contracts:contract_detail", args=[contract.pk])
    context = {
        "title": f"{unit.name} · {definition.name}",
        "contract": contract,
        "unit": unit,
        "kpi": definition,
        "period": period,
        "span": span,
        "result": result,
        "breakdown": [(BREAKDOWN_LABELS.get(k, k), v) for k, v in result.breakdown.items()] if result else [],
        "breadcrumbs": _crumbs(
            (contract.name, f"{url}?period={period.kind}&date={period.start}"), (definition.name, "")
        ),
    }
    if result is None or not result.available or result.records is None:
        return render(request, "contracts/kpi_figure.html", context)
    return list_page(request, lists.records_of(result.records), template="contracts/kpi_records.html", context=context)
