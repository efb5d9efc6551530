"""The station's own to-do items (registered in workrecords/contrib.py):
weekly summaries the reader has not read, and a month without supervision."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Level, Role
from core.todo import TodoContext, TodoEntry, overview, share_by_unit, with_param

UNREAD_WEEKS = 8  # older summaries are history, not a to-do


def _readers(readers: list[Any]) -> list[Any]:
    """Who reads summaries and watches supervision: station leads and the district."""
    return [r for r in readers if r.unit is not None and (r.role == Role.STATION_LEAD or overview(r))]


def unread_summaries(readers: list[Any], ctx: TodoContext) -> dict[int, list[TodoEntry]]:
    """Two queries whatever the number of readers: the recent summaries, and
    their read receipts."""
    from workrecords.models import SummaryRead, WeeklySummary

    readers = _readers(readers)
    if not readers:
        return {}
    since = ctx.today - dt.timedelta(weeks=UNREAD_WEEKS)
    summaries = dict(WeeklySummary.objects.filter(date__gte=since).values_list("id", "unit_id"))
    if not summaries:
        return {}
    read: dict[int, set[int]] = defaultdict(set)
    for summary_id, reader_id in SummaryRead.objects.filter(summary__date__gte=since).values_list(
        "summary_id", "reader_id"
    ):
        read[reader_id].add(summary_id)
    url = reverse("workrecords:summaries")
    out: dict[int, list[TodoEntry]] = {}
    for r in readers:
        counts: dict[int, int] = defaultdict(int)
        for sid, unit_id in summaries.items():
            if sid not in read[r.pk]:
                counts[unit_id] += 1
        out.update(share_by_unit([r], ctx, counts, url))
    return out


def previous_month(day: dt.date) -> tuple[dt.date, dt.date]:
    last = day.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


def missing_supervision(readers: list[Any], ctx: TodoContext) -> dict[int, list[TodoEntry]]:
    """Stations with no supervision recorded last month: one query."""
    from workrecords.models import Supervision

    readers = _readers(readers)
    if not readers:
        return {}
    start, end = previous_month(ctx.today)
    held = {
        ctx.station_of(uid).pk
        for uid in Supervision.objects.filter(date__gte=start, date__lte=end).values_list("unit_id", flat=True)
    }
    missing = [u for u in ctx.units.values() if u.level == Level.STATION and u.pk not in held]
    url, listed = reverse("workrecords:supervisions_create"), reverse("workrecords:supervisions")
    label = _("No supervision recorded in %(month)s") % {"month": start.strftime("%Y-%m")}
    out: dict[int, list[TodoEntry]] = {}
    for r in readers:
        mine = [u for u in missing if r.unit.contains(u)]
        if not mine:
            continue
        many = overview(r)
        out[r.pk] = [
            TodoEntry(1, with_param(listed, "unit", u.pk) if many else url, label, u.name if many else "", True)
            for u in mine
        ]
    return out
