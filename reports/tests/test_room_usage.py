"""The station report's room usage: hours booked and the person-times of the
activities held, per room and month, under the report's unit only."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from casework.models import ActivitySignup
from casework.services import activity_create
from casework.tests.factories import domain
from people.tests.factories import PersonFactory
from reports import room_usage
from venues import services
from venues.tests.factories import room_at

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_usage_per_room_and_month(tree, worker, outsider):
    room, other = room_at(tree.station_a), room_at(tree.station_a, "书画室")
    with time_machine.travel(dt.datetime(2026, 10, 1, 8, tzinfo=SH), tick=False):
        for day, hours in ((6, 2), (20, 3)):
            start = dt.datetime(2026, 10, day, 9, tzinfo=SH)
            services.booking_create(
                actor=worker, room=room, starts_at=start, ends_at=start + dt.timedelta(hours=hours), purpose="会议"
            )
        start = dt.datetime(2026, 11, 3, 14, tzinfo=SH)
        activity = activity_create(
            actor=worker,
            unit=tree.station_a,
            title="手工课",
            domain=domain(),
            venue="",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            organiser="甲站",
            room=other,
        )
    for _i in range(3):
        ActivitySignup.objects.create(activity=activity, person=PersonFactory(unit=tree.a1), attended=True)
    ActivitySignup.objects.create(activity=activity, person=PersonFactory(unit=tree.a1), attended=False)
    activity.status, activity.head_count = "done", 5
    activity.save()
    b_room = room_at(tree.station_b)
    with time_machine.travel(dt.datetime(2026, 10, 1, 8, tzinfo=SH), tick=False):
        start = dt.datetime(2026, 10, 7, 9, tzinfo=SH)
        services.booking_create(
            actor=outsider, room=b_room, starts_at=start, ends_at=start + dt.timedelta(hours=8), purpose="乙站"
        )
    rows = room_usage.section(tree.station_a, dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    got = [(r.room.split(" · ")[1], r.month, r.bookings, r.hours, r.activities, r.person_times) for r in rows]
    assert got == [("书画室", "2026-11", 1, 2.0, 1, 8), ("多功能厅", "2026-10", 2, 5.0, 0, 0)]
    assert room_usage.totals(rows) == {"bookings": 3, "hours": 7.0, "activities": 1, "person_times": 8}
    assert room_usage.section(tree.station_a, dt.date(2026, 12, 1), dt.date(2026, 12, 31)) == []


def test_usage_sheet_in_the_workbook(tree, worker):
    from openpyxl import Workbook

    wb = Workbook()
    room_usage.section_sheet(wb, [])
    assert len(wb.sheetnames) == 1  # no rows, no sheet
    room_usage.section_sheet(wb, [room_usage.RoomMonth("文化站 · 多功能厅", "2026-10", 2, 5.0, 1, 12)])
    ws = wb[wb.sheetnames[-1]]
    assert [c.value for c in ws[2]] == ["文化站 · 多功能厅", "2026-10", 2, 5.0, 1, 12]
