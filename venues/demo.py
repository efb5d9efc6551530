"""Demo venues: the first station's 600 m² culture station (文化站) with its
rooms and opening hours, weekly season bookings of a few of the resident
groups it incubates, and some one-off bookings this week.
Idempotent: the venue and rooms are keyed by name, seasons by purpose."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from core.demo import DemoContext

VENUE = "开元街道文化站"
# (name, capacity, floor area m², facilities)
ROOMS = [
    ("多功能厅", 80, 200, "音响、投影、舞台、80把椅子"),
    ("舞蹈排练室", 30, 120, "镜墙、把杆、音响"),
    ("书画室", 20, 80, "书画桌10张、水槽"),
    ("南音排练室", 25, 70, "琵琶、洞箫、二弦、谱架"),
    ("会议室", 16, 50, "会议桌、白板、电视"),
    ("儿童阅读角", 15, 80, "绘本3000册、地垫"),
]
HOURS = {str(d): ["08:30", "21:00"] for d in range(1, 7)} | {"0": ["14:00", "21:00"]}
# (group name ending, room, weekday, from, until, attendees)
SEASONS = [
    ("文艺队", "舞蹈排练室", 1, "19:00", "21:00", 25),
    ("南音社", "南音排练室", 3, "14:30", "16:30", 18),
    ("亲子阅读会", "儿童阅读角", 5, "09:30", "11:00", 15),
    ("银龄互助会", "多功能厅", 2, "09:00", "11:00", 60),
    ("巧手编织社", "书画室", 4, "14:00", "16:00", 16),
]


def seed(ctx: DemoContext) -> None:
    from accounts.models import User
    from partners.models import CommunityOrganisation
    from venues.models import Booking, BookingKind, Room, Season
    from venues.rules import season_days
    from workrecords.models import Venue

    station = ctx.data["stations"][0]
    lead = User.objects.filter(unit=station, is_active=True).order_by("pk").first()
    if lead is None:
        return
    venue, _created = Venue.objects.get_or_create(
        unit=station, name=VENUE, defaults={"address": station.address, "capacity": 200}
    )
    rooms: dict[str, Any] = {}
    for name, capacity, area, facilities in ROOMS:
        rooms[name], _c = Room.objects.get_or_create(
            venue=venue,
            name=name,
            defaults={"capacity": capacity, "area_m2": area, "facilities": facilities, "hours": HOURS},
        )
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    first = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=6)
    last = first + dt.timedelta(weeks=20)
    holidays = [d for d in (dt.date(today.year + 1, 1, 1), dt.date(today.year, 12, 31)) if first <= d <= last]
    groups = {o.name: o for o in CommunityOrganisation.objects.filter(unit__in=station.subtree())}
    done = set(Season.objects.filter(room__venue=venue).values_list("purpose", flat=True))
    spare = [g for name, g in sorted(groups.items()) if not any(name.endswith(e[0]) for e in SEASONS)]
    for ending, room_name, weekday, starts, ends, attendees in SEASONS:
        # the station's group of that kind, else one of its other groups
        group = next((g for name, g in sorted(groups.items()) if name.endswith(ending)), None)
        if group is None and spare:
            group = spare.pop(0)
        purpose = f"{group.name if group else ending}每周活动"
        if purpose in done:
            continue
        room = rooms[room_name]
        s_time, e_time = dt.time.fromisoformat(starts), dt.time.fromisoformat(ends)
        season = Season.objects.create(
            unit=station,
            room=room,
            organisation=group,
            purpose=purpose,
            weekday=weekday,
            starts=s_time,
            ends=e_time,
            first_day=first,
            last_day=last,
            skip_dates=[d.isoformat() for d in holidays],
            attendees=attendees,
            booked_by=lead,
        )
        Booking.objects.bulk_create(
            Booking(
                unit=station,
                room=room,
                starts_at=dt.datetime.combine(d, s_time, tz),
                ends_at=dt.datetime.combine(d, e_time, tz),
                kind=BookingKind.GROUP,
                season=season,
                purpose=purpose,
                attendees=attendees,
                booked_by=lead,
            )
            for d in season_days(first, last, weekday, holidays)
        )
    monday = today - dt.timedelta(days=today.weekday())
    others = [
        ("会议室", 0, "15:00", "16:30", "社区两委联席会议", 12),
        ("多功能厅", 5, "14:00", "17:00", "爱心企业公益集市筹备会", 40),
        ("书画室", 6, "09:00", "11:00", "青少年书法兴趣班", 18),
    ]
    for room_name, offset, starts, ends, purpose, attendees in others:
        day = monday + dt.timedelta(days=offset)
        s = dt.datetime.combine(day, dt.time.fromisoformat(starts), tz)
        if Booking.objects.filter(room=rooms[room_name], purpose=purpose).exists():
            continue
        if Booking.objects.filter(
            room=rooms[room_name], starts_at__lt=s + dt.timedelta(hours=3), ends_at__gt=s
        ).exists():
            continue
        Booking.objects.create(
            unit=station,
            room=rooms[room_name],
            starts_at=s,
            ends_at=dt.datetime.combine(day, dt.time.fromisoformat(ends), tz),
            kind=BookingKind.OTHER,
            purpose=purpose,
            attendees=attendees,
            booked_by=lead,
        )
