"""Scoped reads for work records."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Avg, Count, Model, QuerySet
from django.db.models.functions import TruncMonth

from core.access import scope, under, within
from workrecords.models import (
    NeedsSurvey,
    SatisfactionSurvey,
    ScoringSheet,
    SelfEvaluation,
    Supervision,
    Venue,
    WeeklySummary,
)


def records_visible(user: Any, model: type[Model]) -> QuerySet:
    qs = scope(model._default_manager.all(), user).select_related("unit")
    if model is WeeklySummary:
        qs = qs.prefetch_related("reads__reader")
    elif model is NeedsSurvey:
        qs = qs.prefetch_related("responses")
    elif model is SelfEvaluation:
        # The archive's documents linked as evidence for each item (archive.Evidence).
        qs = qs.select_related("sheet").prefetch_related("scores__item", "scores__archive_evidence__document")
    return qs


def venues_visible(user: Any) -> QuerySet[Venue]:
    return scope(Venue.objects.all(), user).select_related("unit")


def sheets() -> QuerySet[ScoringSheet]:
    return ScoringSheet.objects.prefetch_related("items").order_by("-is_default", "name")


def month_starts(start: date, end: date) -> list[date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = day.replace(year=day.year + 1, month=1) if day.month == 12 else day.replace(month=day.month + 1)
    return months


def months_without_supervision(user: Any, unit: Any, start: date, end: date) -> list[date]:
    """First days of the months in [start, end] with no supervision recorded
    for `unit` or any unit below it (1+1+1: at least one a month)."""
    done = set(
        records_visible(user, Supervision)
        .filter(within(unit), date__gte=start.replace(day=1), date__lte=end)
        .annotate(m=TruncMonth("date"))
        .values_list("m", flat=True)
    )
    done = {d.date() if hasattr(d, "date") and callable(d.date) else d for d in done}
    return [m for m in month_starts(start, end) if m not in done]


def stations_overview(user: Any, stations: list[Any], models: dict[str, type[Model]], start: date, end: date) -> list:
    """For each station: the months in [start, end] without supervision and how
    many records of each of `models` it holds from `start` on. One grouped
    query per model, however many stations."""

    def station_of(path: str) -> Any:
        return next((s for s in stations if path.startswith(s.path)), None)

    within_stations = within(stations)
    counts: dict[int, dict[str, int]] = {s.pk: dict.fromkeys(models, 0) for s in stations}
    for key, model in models.items():
        rows = (
            records_visible(user, model)
            .filter(within_stations, date__gte=start)
            .values_list("unit__path")
            .annotate(n=Count("id"))
            .order_by()
        )
        for path, n in rows:
            if (station := station_of(path)) is not None:
                counts[station.pk][key] += n
    done: dict[int, set[date]] = {s.pk: set() for s in stations}
    supervised = (
        records_visible(user, Supervision)
        .filter(within_stations, date__gte=start.replace(day=1), date__lte=end)
        .annotate(m=TruncMonth("date"))
        .values_list("unit__path", "m")
        .distinct()
    )
    for path, month in supervised:
        if (station := station_of(path)) is not None:
            done[station.pk].add(month.date() if hasattr(month, "date") and callable(month.date) else month)
    months = month_starts(start, end)
    return [
        {"station": s, "missing": [m for m in months if m not in done[s.pk]], "counts": counts[s.pk]} for s in stations
    ]


def unread_summaries(user: Any) -> QuerySet[WeeklySummary]:
    return records_visible(user, WeeklySummary).exclude(reads__reader=user)


def satisfaction_by_unit(user: Any, start: date, end: date, units: list[Any]) -> list[dict[str, Any]]:
    """Average score and number of responses per unit (station) and period."""
    base = records_visible(user, SatisfactionSurvey).filter(date__gte=start, date__lte=end)
    rows = []
    for unit in units:
        agg = under(base, unit).aggregate(avg=Avg("score"), n=Count("id"))
        rows.append({"unit": unit, "avg": agg["avg"], "n": agg["n"]})
    return rows
