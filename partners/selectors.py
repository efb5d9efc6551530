"""Scoped reads of partners and the resources ledger."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear

from core.access import scope, unit_subtree
from core.roles import Level
from partners.models import CommunityOrganisation, Enterprise, ResourceEntry

PERIODS = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def enterprises_visible(user: Any) -> QuerySet[Enterprise]:
    return scope(Enterprise.objects.all(), user).select_related("unit")


def organisations_visible(user: Any) -> QuerySet[CommunityOrganisation]:
    return scope(CommunityOrganisation.objects.all(), user).select_related("unit", "domain")


def entries_visible(user: Any) -> QuerySet[ResourceEntry]:
    return scope(ResourceEntry.objects.all(), user).select_related("unit", "enterprise")


def enterprises_with_offers(user: Any) -> QuerySet[Enterprise]:
    return enterprises_visible(user).annotate(n_offers=Count("offers"), offer_value=Sum("offers__value"))


def _station_path(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    return "/".join(parts[:2]) + "/" if len(parts) >= 2 else path


def ledger_totals(user: Any, qs: QuerySet[ResourceEntry], period: str = "month") -> dict[str, Any]:
    """Totals in and out per period and per station (entries at the district
    count under the district), newest period first, with grand totals."""
    trunc = PERIODS.get(period, TruncMonth)
    rows = (
        qs.annotate(period=trunc("date"))
        .values("period", "unit__path", "direction")
        .annotate(total=Sum("value"))
        .order_by()
    )
    names = {u.path: u.name for u in unit_subtree(user).filter(level__in=[Level.STATION, Level.DISTRICT])}
    table: dict[tuple[Any, str], dict[str, Decimal]] = defaultdict(lambda: {"in": Decimal(0), "out": Decimal(0)})
    grand = {"in": Decimal(0), "out": Decimal(0)}
    for r in rows:
        station = _station_path(r["unit__path"])
        key = (r["period"], names.get(station) or names.get(r["unit__path"]) or "—")
        table[key][r["direction"]] += r["total"] or 0
        grand[r["direction"]] += r["total"] or 0
    lines = [
        {
            "period": p,
            "label": _period_label(p, period),
            "station": s,
            "in": v["in"],
            "out": v["out"],
            "balance": v["in"] - v["out"],
        }
        for (p, s), v in sorted(table.items(), key=lambda kv: (kv[0][0], kv[0][1]), reverse=True)
    ]
    return {"lines": lines, "in": grand["in"], "out": grand["out"], "balance": grand["in"] - grand["out"]}


def _period_label(day: Any, period: str) -> str:
    if day is None:
        return "—"
    if period == "year":
        return f"{day.year}"
    if period == "quarter":
        return f"{day.year} Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"
