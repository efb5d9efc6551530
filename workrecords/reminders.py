"""The station rhythm's reminder rules (registered in workrecords/contrib.py):

- weekly summary: from Friday, a station without this week's summary tells
  its leads (once per week);
- monthly supervision: from the 25th, a station without one this month tells
  its leads; once the month is over without one, the district's
  administrators and supervisors (once per month each);
- quarterly joint meeting: from the 15th of a quarter's last month, a
  station without one this quarter tells its leads (once per quarter).

A station's records are those of the station and its communities."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from core.roles import Level
from notifications.api import Event, Notice, notify_each
from notifications.recipients import overseers

SUMMARY_FROM_WEEKDAY = 4  # Friday
SUPERVISION_FROM_DAY = 25
JOINT_MEETING_FROM_DAY = 15


def _stations() -> list[Any]:
    from orgs.models import OrgUnit

    return list(OrgUnit.objects.filter(level=Level.STATION).only("id", "path", "name"))


def _held(model: Any, start: dt.date, end: dt.date) -> set[int]:
    """The stations with a record dated within [start, end]: one query."""
    rows = model.objects.filter(date__gte=start, date__lte=end).values_list("unit_id", "unit__level", "unit__parent_id")
    return {parent if level == Level.COMMUNITY else uid for uid, level, parent in rows.distinct()}


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date, str]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = day.replace(month=first_month, day=1)
    return start, month_end(start.replace(month=first_month + 2)), f"{day.year}Q{(first_month + 2) // 3}"


def _tell(event: Event, stations: list[Any], ids_of: Any, link: str, period: str, now: dt.datetime) -> int:
    notices = [Notice(uid, s, s.name, link, s, period) for s in stations for uid in ids_of(s)]
    return notify_each(event=event, notices=notices, now=now)


def summaries_missing(*, now: dt.datetime) -> int:
    from workrecords.models import WeeklySummary

    today = timezone.localdate(now)
    if today.weekday() < SUMMARY_FROM_WEEKDAY:
        return 0
    monday = today - dt.timedelta(days=today.weekday())
    held = _held(WeeklySummary, monday, monday)
    missing = [s for s in _stations() if s.pk not in held]
    staff = overseers()
    link = reverse("workrecords:summaries_create")
    return _tell(Event.SUMMARY_MISSING, missing, lambda s: staff.of_station(s.pk), link, monday.isoformat(), now)


def supervision_missing(*, now: dt.datetime) -> int:
    from workrecords.models import Supervision

    today = timezone.localdate(now)
    staff = overseers()
    link = reverse("workrecords:supervisions_create")
    told = 0
    stations = _stations()
    if today.day >= SUPERVISION_FROM_DAY:
        held = _held(Supervision, month_start(today), today)
        missing = [s for s in stations if s.pk not in held]
        told += _tell(Event.SUPERVISION_MISSING, missing, lambda s: staff.of_station(s.pk), link, f"{today:%Y-%m}", now)
    last_month = month_start(today) - dt.timedelta(days=1)
    held = _held(Supervision, month_start(last_month), last_month)
    missing = [s for s in stations if s.pk not in held]
    told += _tell(
        Event.SUPERVISION_MISSING,
        missing,
        lambda s: staff.of_district(s.path),
        reverse("workrecords:supervisions"),
        f"district:{last_month:%Y-%m}",
        now,
    )
    return told


def joint_meeting_due(*, now: dt.datetime) -> int:
    from workrecords.models import JointMeeting

    today = timezone.localdate(now)
    start, end, label = quarter_of(today)
    if today.month != end.month or today.day < JOINT_MEETING_FROM_DAY:
        return 0
    held = _held(JointMeeting, start, end)
    missing = [s for s in _stations() if s.pk not in held]
    staff = overseers()
    link = reverse("workrecords:joint-meetings_create")
    return _tell(Event.JOINT_MEETING, missing, lambda s: staff.of_station(s.pk), link, label, now)
