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


def counted(qs: QuerySet[ServiceRecord]) -> QuerySet[ServiceRecord]:
    """The records whose hours count: confirmed ones (not awaiting confirmation)."""
    return qs.filter(pending=False)


def records_of(volunteer: Any) -> QuerySet[ServiceRecord]:
    """Every service record of a volunteer the caller has found in scope."""
    return ServiceRecord.objects.filter(volunteer=volunteer).select_related("volunteer", "unit")


def volunteer_hours(volunteer_ids: Iterable[int]) -> dict[int, Decimal]:
    """Cumulative service hours per volunteer id (0 for those without records)."""
    ids = list(volunteer_ids)
    totals = {vid: Decimal("0") for vid in ids}
    rows = (
        counted(ServiceRecord.objects.filter(volunteer_id__in=ids)).values("volunteer_id").annotate(total=Sum("hours"))
    )
    for row in rows:
        totals[row["volunteer_id"]] = row["total"] or Decimal("0")
    return totals


def star_level(hours: Decimal | int | float) -> int:
    """0–5 stars (星级志愿者) for cumulative hours; thresholds from conf."""
    value = Decimal(str(hours))
    return sum(1 for threshold in conf.star_thresholds() if value >= threshold)


def certificates_visible(user: Any) -> QuerySet[Any]:
    from volunteering.models import Certificate

    return scope(Certificate.objects.select_related("volunteer", "unit", "issued_by"), user)


def next_star(hours: Decimal) -> tuple[int, Decimal | None]:
    """(stars now, hours still needed for the next star or None at the top)."""
    stars = star_level(hours)
    thresholds = conf.star_thresholds()
    if stars >= len(thresholds):
        return stars, None
    return stars, thresholds[stars] - Decimal(str(hours))


def volunteers_with_hours(user: Any) -> QuerySet[Any]:
    """Volunteers in scope annotated with `total_hours` and `n_records`, most hours first."""
    from django.db.models import Count, DecimalField, Q, Value
    from django.db.models.functions import Coalesce

    from volunteers.selectors import volunteers_visible

    return (
        volunteers_visible(user)
        .annotate(
            total_hours=Coalesce(
                Sum("service_records__hours", filter=Q(service_records__pending=False)),
                Value(Decimal(0)),
                output_field=DecimalField(max_digits=8, decimal_places=1),
            ),
            n_records=Count("service_records", filter=Q(service_records__pending=False)),
        )
        .order_by("-total_hours", "id")
    )
