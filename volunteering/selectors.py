"""Scoped reads for volunteer service records and star levels."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum

from core.access import scope
from volunteering import conf
from volunteering.models import ServiceRecord


def service_records_visible(user: Any) -> QuerySet[ServiceRecord]:
    return scope(ServiceRecord.objects.select_related("volunteer", "unit"), user)


def volunteer_hours(volunteer_ids: Iterable[int]) -> dict[int, Decimal]:
    """Cumulative service hours per volunteer id (0 for those without records)."""
    ids = list(volunteer_ids)
    totals = {vid: Decimal("0") for vid in ids}
    rows = ServiceRecord.objects.filter(volunteer_id__in=ids).values("volunteer_id").annotate(total=Sum("hours"))
    for row in rows:
        totals[row["volunteer_id"]] = row["total"] or Decimal("0")
    return totals


def star_level(hours: Decimal | int | float) -> int:
    """0–5 stars (星级志愿者) for cumulative hours; thresholds from conf."""
    value = Decimal(str(hours))
    return sum(1 for threshold in conf.star_thresholds() if value >= threshold)
