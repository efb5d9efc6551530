"""The contracts area's to-do item (registered in contracts/contrib.py): a
station's KPIs falling behind the pro-rated target of a running contract
(contracts/progress.py), for its leads and the district. The figures are
counted once per KPI for all stations, whatever the number of readers."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from core.todo import TodoContext, TodoEntry, overview


def kpis_behind(readers: list[Any], ctx: TodoContext) -> dict[int, list[TodoEntry]]:
    from contracts.models import Contract
    from contracts.progress import contract_progress, period_for

    readers = [r for r in readers if r.unit is not None and (r.role == Role.STATION_LEAD or overview(r))]
    if not readers:
        return {}
    running = list(Contract.objects.filter(start__lte=ctx.today, end__gte=ctx.today).prefetch_related("stations"))
    behind: list[tuple[Any, Any, list[str]]] = []  # (contract, station, KPI names)
    for contract in running:
        stations = list(contract.stations.all())
        if not stations:
            continue
        for row in contract_progress(contract, stations, period_for("contract", ctx.today, contract), ctx.today):
            if row.behind:
                behind.append((contract, row.unit, row.behind_kpis))
    out: dict[int, list[TodoEntry]] = {}
    for r in readers:
        for contract, station, names in behind:
            if r.unit.contains(station):
                out.setdefault(r.pk, []).append(
                    TodoEntry(
                        len(names),
                        reverse("contracts:contract_detail", args=[contract.pk]),
                        _("KPIs behind target: %(kpis)s") % {"kpis": "、".join(names)},
                        station.name if overview(r) else "",
                        True,
                    )
                )
    return out
