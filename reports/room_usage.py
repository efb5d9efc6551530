"""The station report's room usage (场所使用): per room and month, the hours
booked, the bookings, and the person-times of the activities held there
(counted as docs/counting.md counts an activity: named residents marked
attended plus the unnamed head count)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.models import Activity, ActivitySignup
from core.access import within
from venues.models import Booking


@dataclass
class RoomMonth:
    room: str
    month: str  # YYYY-MM
    bookings: int
    hours: float
    activities: int
    person_times: int


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(start, dt.time(0), tz), dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tz)


def section(unit: Any, start: dt.date, end: dt.date) -> list[RoomMonth]:
    """The rooms of venues under `unit` (already checked to be in scope),
    month by month from `start` to `end` (both included). Three queries."""
    lo, hi = _bounds(start, end)
    usage: dict[tuple[int, str], dict[str, Any]] = {}
    names: dict[int, str] = {}
    bookings = Booking.objects.filter(within(unit, "room__venue__unit"), starts_at__gte=lo, starts_at__lt=hi)
    for b in bookings.select_related("room__venue").only("starts_at", "ends_at", "room__name", "room__venue__name"):
        month = f"{timezone.localtime(b.starts_at):%Y-%m}"
        names[b.room_id] = f"{b.room.venue.name} · {b.room.name}"
        row = usage.setdefault((b.room_id, month), {"bookings": 0, "seconds": 0.0, "activities": 0, "pt": 0})
        row["bookings"] += 1
        row["seconds"] += (b.ends_at - b.starts_at).total_seconds()
    held = Activity.objects.filter(
        within(unit, "room__venue__unit"), status="done", starts_at__gte=lo, starts_at__lt=hi
    ).select_related("room__venue")
    attended = dict(
        ActivitySignup.objects.filter(activity__in=held, attended=True, person__isnull=False)
        .values("activity_id")
        .annotate(n=Count("pk"))
        .values_list("activity_id", "n")
    )
    for a in held.only("pk", "starts_at", "head_count", "room__name", "room__venue__name"):
        assert a.room is not None  # filtered on the room's venue
        month = f"{timezone.localtime(a.starts_at):%Y-%m}"
        names[a.room_id] = f"{a.room.venue.name} · {a.room.name}"  # type: ignore[index]
        row = usage.setdefault((a.room_id, month), {"bookings": 0, "seconds": 0.0, "activities": 0, "pt": 0})  # type: ignore[arg-type]
        row["activities"] += 1
        row["pt"] += attended.get(a.pk, 0) + a.head_count
    return sorted(
        (
            RoomMonth(names[pk], month, r["bookings"], round(r["seconds"] / 3600, 1), r["activities"], r["pt"])
            for (pk, month), r in usage.items()
        ),
        key=lambda r: (r.room, r.month),
    )


def totals(rows: list[RoomMonth]) -> dict[str, Any]:
    return {
        "bookings": sum(r.bookings for r in rows),
        "hours": round(sum(r.hours for r in rows), 1),
        "activities": sum(r.activities for r in rows),
        "person_times": sum(r.person_times for r in rows),
    }


def section_sheet(wb: Any, rows: list[RoomMonth]) -> None:
    """The room usage as its own sheet of the report's workbook (none without rows)."""
    if not rows:
        return
    ws = wb.create_sheet(str(_("Room usage"))[:31])
    ws.append(
        [
            str(_("Room")),
            str(_("Month")),
            str(_("Number of bookings")),
            str(_("Hours booked")),
            str(_("Activities held in the room")),
            str(_("Person-times")),
        ]
    )
    for r in rows:
        ws.append([r.room, r.month, r.bookings, r.hours, r.activities, r.person_times])
    t = totals(rows)
    ws.append([str(_("Total")), "", t["bookings"], t["hours"], t["activities"], t["person_times"]])
    ws.column_dimensions["A"].width = 30
