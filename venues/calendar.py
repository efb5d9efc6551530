"""The week calendar's grid: seven days, each with its bookings in time
order and the rooms' opening hours, ready for the template."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone


@dataclass
class Entry:
    booking: Any
    starts: dt.datetime
    ends: dt.datetime

    @property
    def label(self) -> str:
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}"


@dataclass
class Day:
    date: dt.date
    is_today: bool
    entries: list[Entry] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)  # names of rooms closed that day

    @property
    def hours(self) -> float:
        return sum((e.ends - e.starts).total_seconds() for e in self.entries) / 3600


def week_grid(monday: dt.date, rooms: list[Any], bookings: list[Any], *, today: dt.date) -> list[Day]:
    days = [Day(monday + dt.timedelta(days=i), monday + dt.timedelta(days=i) == today) for i in range(7)]
    by_date = {d.date: d for d in days}
    for b in bookings:
        starts, ends = timezone.localtime(b.starts_at), timezone.localtime(b.ends_at)
        day = by_date.get(starts.date())
        if day is not None:
            day.entries.append(Entry(b, starts, ends))
    for d in days:
        d.closed = [r.name for r in rooms if r.opening(d.date) is None]
    return days
