from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from contracts.models import Contract, ContractEvaluation, Kpi, KpiTarget, PaymentTranche
from core.access import scope, unit_subtree
from core.roles import Level


def contracts_visible(user: Any) -> QuerySet[Contract]:
    """Contracts registered in the user's subtree or covering a station in it."""
    subtree = unit_subtree(user)
    if subtree.query.is_empty():
        return Contract.objects.none()
    ids = subtree.values("id")
    return (
        Contract.objects.filter(Q(unit__in=ids) | Q(stations__in=ids))
        .distinct()
        .select_related("unit", "agency")
        .prefetch_related(
            Prefetch("stations", queryset=unit_subtree(user).filter(level=Level.STATION), to_attr="visible_stations")
        )
    )


def stations_of(user: Any, contract: Contract) -> QuerySet[Any]:
    """The contract's stations the user may see."""
    return unit_subtree(user).filter(level=Level.STATION, contracts=contract).order_by("path")


def kpis_of(contract: Contract) -> QuerySet[Kpi]:
    """The KPIs a contract's pages show: those in use, and retired ones the
    contract still has targets for (they keep their column and their field)."""
    targeted = KpiTarget.objects.filter(contract=contract).values("kpi")
    return Kpi.objects.filter(Q(active=True) | Q(pk__in=targeted))


def tranches_visible(user: Any) -> QuerySet[PaymentTranche]:
    """Tranches of the contracts registered in the user's subtree."""
    return scope(PaymentTranche.objects.select_related("contract"), user, "contract__unit")


def evaluations_visible(user: Any) -> QuerySet[ContractEvaluation]:
    """Evaluations of contracts covering a station in the user's subtree or registered in it."""
    subtree = unit_subtree(user)
    if subtree.query.is_empty():
        return ContractEvaluation.objects.none()
    ids = subtree.values("id")
    return (
        ContractEvaluation.objects.filter(Q(contract__unit__in=ids) | Q(contract__stations__in=ids))
        .distinct()
        .select_related("contract")
    )
