"""The venues pages: the week calendar (full page and its htmx fragment), the
booking and season forms refusing bad input on the page, and the API."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from venues import services
from venues.models import Booking, Season
from venues.tests.factories import room_at

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=SH), tick=False):
        yield


def _booked(worker, room, day=24, hour=9, purpose="合唱排练"):
    return services.booking_create(
        actor=worker,
        room=room,
        starts_at=dt.datetime(2026, 11, day, hour, tzinfo=SH),
        ends_at=dt.datetime(2026, 11, day, hour + 2, tzinfo=SH),
        purpose=purpose,
    )


def test_week_calendar_shows_the_weeks_bookings_and_moves_by_htmx(tree, worker, as_user):
    room = room_at(tree.station_a)
    _booked(worker, room)
    _booked(worker, room, day=30, purpose="下周的会议")
    client = as_user(worker)
    page = client.get(reverse("venues:calendar")).content.decode()
    assert "合唱排练" in page and "09:00–11:00" in page and "下周的会议" not in page
    assert 'data-date="2026-11-23"' in page and 'data-date="2026-11-29"' in page
    fragment = client.get(reverse("venues:calendar"), {"week": "2026-11-30"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "下周的会议" in fragment and "合唱排练" not in fragment
    assert "?week=2026-12-07" in fragment  # the next week's link
    assert client.get(reverse("venues:calendar"), {"week": "not-a-day"}).status_code == 200


def test_calendar_shows_nothing_of_another_station(tree, worker, outsider, as_user):
    _booked(outsider, room_at(tree.station_b), purpose="乙站会议")
    page = as_user(worker).get(reverse("venues:calendar")).content.decode()
    assert "乙站会议" not in page


def test_overlapping_booking_refused_on_the_page(tree, worker, as_user):
    room = room_at(tree.station_a)
    _booked(worker, room)
    response = as_user(worker).post(
        reverse("venues:booking_create"),
        {"room": room.pk, "starts_at": "2026-11-24T10:00", "ends_at": "2026-11-24T12:00", "purpose": "党员会议"},
    )
    assert response.status_code == 200
    assert "合唱排练" in response.content.decode()
    assert Booking.objects.count() == 1


def test_season_form_books_the_term_and_lists_clashes(tree, worker, as_user):
    room = room_at(tree.station_a)
    _booked(worker, room, day=24, hour=18)
    data = {
        "room": room.pk,
        "purpose": "合唱团每周排练",
        "weekday": 1,
        "starts": "19:00",
        "ends": "21:00",
        "first_day": "2026-11-23",
        "last_day": "2026-12-31",
        "skip_dates": "2026-12-29",
    }
    client = as_user(worker)
    refused = client.post(reverse("venues:season_create"), data)
    assert refused.status_code == 200 and "2026-11-24" in refused.content.decode()
    assert not Season.objects.exists()
    data["first_day"] = "2026-11-25"
    done = client.post(reverse("venues:season_create"), data)
    assert done.status_code == 302
    season = Season.objects.get()
    assert season.bookings.count() == 4  # 1, 8, 15 and 22 December


def test_bad_dates_in_a_date_list_are_refused(tree, worker, as_user):
    room = room_at(tree.station_a)
    response = as_user(worker).post(
        reverse("venues:room_edit", args=[room.pk]), {"name": room.name, "closed_dates": "明天"}
    )
    assert response.status_code == 200 and "YYYY-MM-DD" in response.content.decode()


def test_room_opening_hours_need_both_times(tree, worker, as_user):
    room = room_at(tree.station_a)
    response = as_user(worker).post(
        reverse("venues:room_edit", args=[room.pk]), {"name": room.name, "opens_2": "09:00"}
    )
    assert response.status_code == 200
    room.refresh_from_db()
    assert room.hours["2"] == ["08:00", "21:00"]


def test_activity_form_offers_the_stations_rooms_and_books_one(tree, worker, as_user):
    from casework.models import Activity
    from casework.tests.factories import domain

    room = room_at(tree.station_a)
    room_at(tree.station_b, "乙站房间")
    client = as_user(worker)
    form = client.get(reverse("casework:activity_create")).content.decode()
    assert str(room) in form and "乙站房间" not in form
    response = client.post(
        reverse("casework:activity_create"),
        {
            "unit": tree.station_a.pk,
            "title": "重阳敬老活动",
            "domain": domain().pk,
            "room": room.pk,
            "venue": "",
            "starts_at": "2026-11-25T09:00",
            "ends_at": "2026-11-25T11:00",
            "organiser": "甲街道社工站",
            "person_in_charge": worker.pk,
            "party_led": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get(title="重阳敬老活动")
    assert activity.party_led and activity.room == room and Booking.objects.get(activity=activity).room == room


def test_api_lists_rooms_and_bookings_in_scope(tree, worker, outsider, as_user):
    room = room_at(tree.station_a)
    booking = _booked(worker, room)
    client = as_user(worker)
    rooms = client.get("/api/v1/rooms").json()
    assert [r["name"] for r in rooms["items"]] == [room.name]
    bookings = client.get("/api/v1/bookings", {"start": "2026-11-23"}).json()
    assert [b["id"] for b in bookings["items"]] == [booking.pk]
    other = as_user(outsider)
    assert other.get(f"/api/v1/bookings/{booking.pk}").status_code == 404
    assert other.get(f"/api/v1/rooms/{room.pk}").status_code == 404
