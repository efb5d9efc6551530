"""The booking rule, in one place and free of the database: whether a room
may be taken from `starts` to `ends` (local times) for `attendees` people,
given the bookings it already has. Intervals are half-open [starts, ends):
one booking may begin the minute another ends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.utils.translation import gettext as _


class Taken(NamedTuple):
    """A booking the room already has (local times)."""

    starts: dt.datetime
    ends: dt.datetime
    purpose: str
    pk: int | None = None


def overlaps(a_starts: dt.datetime, a_ends: dt.datetime, b_starts: dt.datetime, b_ends: dt.datetime) -> bool:
    """Half-open intervals [a_starts, a_ends) and [b_starts, b_ends) share a moment."""
    return a_starts < b_ends and b_starts < a_ends


def clashes(
    starts: dt.datetime, ends: dt.datetime, taken: Iterable[Taken], *, ignore: int | None = None
) -> list[Taken]:
    """The bookings among `taken` that share a moment with [starts, ends)."""
    return [t for t in taken if (t.pk is None or t.pk != ignore) and overlaps(starts, ends, t.starts, t.ends)]


def _hm(t: dt.time | dt.datetime) -> str:
    return t.strftime("%H:%M")


def refusals(
    room: Any,
    starts: dt.datetime,
    ends: dt.datetime,
    *,
    attendees: int | None = None,
    taken: Iterable[Taken] = (),
    ignore: int | None = None,
) -> dict[str, str]:
    """Why the room cannot be booked, by form field ({} when it can).
    `room` offers `opening(day)`, `capacity` and `name`; times are local."""
    errors: dict[str, str] = {}
    if ends <= starts:
        return {"ends_at": _("A booking must end after it starts.")}
    if ends.date() != starts.date() and not (
        ends.date() == starts.date() + dt.timedelta(days=1) and ends.time() == dt.time(0)
    ):
        return {"ends_at": _("A booking starts and ends on the same day.")}
    hours = room.opening(starts.date())
    if hours is None:
        errors["starts_at"] = _("%(room)s is closed on %(day)s.") % {
            "room": room.name,
            "day": starts.date().isoformat(),
        }
    else:
        opens, closes = hours
        end_time = ends.time() if ends.date() == starts.date() else dt.time(23, 59, 59)
        if starts.time() < opens or end_time > closes:
            errors["starts_at"] = _("%(room)s is open %(opens)s–%(closes)s that day.") % {
                "room": room.name,
                "opens": _hm(opens),
                "closes": _hm(closes),
            }
    if attendees is not None and room.capacity is not None and attendees > room.capacity:
        errors["attendees"] = _("%(room)s holds %(n)s people.") % {"room": room.name, "n": room.capacity}
    clashing = clashes(starts, ends, taken, ignore=ignore)
    if clashing:
        errors["__all__"] = _("%(room)s is already booked then: %(what)s.") % {
            "room": room.name,
            "what": "; ".join(f"{t.purpose} {_hm(t.starts)}–{_hm(t.ends)}" for t in clashing),
        }
    return errors


def season_days(first: dt.date, last: dt.date, weekday: int, skip: Iterable[dt.date] = ()) -> list[dt.date]:
    """Every `weekday` (0 = Monday) from `first` to `last` inclusive, except the `skip` dates."""
    skipped = set(skip)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    days = []
    while day <= last:
        if day not in skipped:
            days.append(day)
        day += dt.timedelta(days=7)
    return days
