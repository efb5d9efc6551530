"""Bookings, seasons and the activity's room: bad input refused with nothing
written, the booking following its activity, the season all or nothing."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from audit.models import AuditEvent
from casework.models import Activity
from casework.services import activity_cancel, activity_create, activity_update
from casework.tests.factories import domain
from partners.models import CommunityOrganisation
from venues import services
from venues.models import Booking, Season
from venues.tests.factories import room_at

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SH)  # a Monday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SH)


def _counts():
    return Booking.objects.count(), Season.objects.count(), AuditEvent.objects.count()


def _book(actor, room, starts, ends, **kw):
    return services.booking_create(
        actor=actor, room=room, starts_at=starts, ends_at=ends, purpose=kw.pop("purpose", "两委会议"), **kw
    )


def test_overlapping_booking_refused_with_what_it_clashes_with(tree, worker):
    room = room_at(tree.station_a)
    _book(worker, room, at(24, 9), at(24, 11), purpose="合唱排练")
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        _book(worker, room, at(24, 10), at(24, 12))
    assert "合唱排练 09:00–11:00" in str(exc.value.message_dict["__all__"])
    assert _counts() == before


def test_back_to_back_bookings_are_accepted(tree, worker):
    room = room_at(tree.station_a)
    _book(worker, room, at(24, 9), at(24, 11))
    _book(worker, room, at(24, 11), at(24, 12))
    _book(worker, room, at(24, 8), at(24, 9))
    assert Booking.objects.filter(room=room).count() == 3


@pytest.mark.parametrize(
    ("starts", "ends", "attendees", "field"),
    [
        (at(24, 7), at(24, 9), None, "starts_at"),  # opens at 08:00
        (at(24, 20), at(24, 22), None, "starts_at"),  # closes at 21:00
        (at(24, 10), at(24, 10), None, "ends_at"),
        (at(24, 11), at(24, 10), None, "ends_at"),
        (at(24, 10), at(25, 10), None, "ends_at"),
        (at(24, 10), at(24, 11), 31, "attendees"),  # holds 30
    ],
)
def test_bad_bookings_refused_with_nothing_written(tree, worker, starts, ends, attendees, field):
    room = room_at(tree.station_a)
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        _book(worker, room, starts, ends, attendees=attendees)
    assert field in exc.value.message_dict
    assert _counts() == before


def test_closed_day_and_inactive_room_and_empty_purpose_refused(tree, worker):
    room = room_at(tree.station_a, closed_dates=["2026-11-24"])
    with translation.override("en"), pytest.raises(ValidationError, match="closed"):
        _book(worker, room, at(24, 10), at(24, 11))
    with pytest.raises(ValidationError) as exc:
        _book(worker, room, at(25, 10), at(25, 11), purpose="  ")
    assert "purpose" in exc.value.message_dict
    room.is_active = False
    room.save()
    with pytest.raises(ValidationError) as exc:
        _book(worker, room, at(25, 10), at(25, 11))
    assert "room" in exc.value.message_dict


def test_another_stations_room_is_not_found(tree, worker, outsider):
    room = room_at(tree.station_b)
    with pytest.raises(Http404):
        _book(worker, room, at(24, 10), at(24, 11))


def test_viewer_cannot_book(tree, viewer):
    from django.core.exceptions import PermissionDenied

    room = room_at(tree.station_a)
    with pytest.raises(PermissionDenied):
        _book(viewer, room, at(24, 10), at(24, 11))


def test_release_frees_the_room(tree, worker):
    room = room_at(tree.station_a)
    booking = _book(worker, room, at(24, 9), at(24, 11))
    services.booking_release(actor=worker, booking=booking)
    _book(worker, room, at(24, 9), at(24, 11))
    assert AuditEvent.objects.filter(action="booking.release").count() == 1


# ---------------------------------------------------------------- the activity's room


TUESDAY_NINE = at(24, 9)


def _activity(actor, unit, room=None, starts=TUESDAY_NINE, **kw):
    args = {
        "title": "重阳敬老活动",
        "domain": domain(),
        "venue": "",
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=2),
        "organiser": "甲街道社工站",
        "room": room,
    }
    args.update(kw)
    return activity_create(actor=actor, unit=unit, **args)


def test_activity_books_moves_and_releases_its_room(tree, worker):
    room, other = room_at(tree.station_a), room_at(tree.station_a, "书画室")
    activity = _activity(worker, tree.station_a, room)
    booking = Booking.objects.get(activity=activity)
    assert (booking.room, booking.starts_at, booking.kind) == (room, at(24, 9), "activity")
    assert activity.venue == str(room)  # the free text names the room when left empty
    activity_update(actor=worker, activity=activity, starts_at=at(25, 14), ends_at=at(25, 16), room=other)
    booking.refresh_from_db()
    assert (booking.room, booking.starts_at) == (other, at(25, 14))
    activity_update(actor=worker, activity=activity, room=None, venue="社区广场")
    assert not Booking.objects.filter(activity=activity).exists()


def test_activity_in_a_taken_room_is_not_saved(tree, worker):
    room = room_at(tree.station_a)
    _book(worker, room, at(24, 10), at(24, 12), purpose="合唱排练")
    n_activities, before = Activity.objects.count(), _counts()
    with pytest.raises(ValidationError) as exc:
        _activity(worker, tree.station_a, room)
    assert "合唱排练" in str(exc.value.message_dict["room"])
    assert (Activity.objects.count(), _counts()) == (n_activities, before)


def test_moving_an_activity_onto_a_taken_slot_changes_nothing(tree, worker):
    room = room_at(tree.station_a)
    activity = _activity(worker, tree.station_a, room)
    _book(worker, room, at(25, 9), at(25, 11), purpose="合唱排练")
    with pytest.raises(ValidationError):
        activity_update(actor=worker, activity=activity, starts_at=at(25, 10), ends_at=at(25, 12))
    activity.refresh_from_db()
    assert activity.starts_at == at(24, 9)
    assert Booking.objects.get(activity=activity).starts_at == at(24, 9)


def test_activity_without_room_or_venue_refused(tree, worker):
    with pytest.raises(ValidationError) as exc:
        _activity(worker, tree.station_a, None)
    assert "venue" in exc.value.message_dict


def test_cancelled_activity_frees_its_room(tree, worker):
    room = room_at(tree.station_a)
    activity = _activity(worker, tree.station_a, room)
    activity_cancel(actor=worker, activity=activity, reason="台风")
    assert not Booking.objects.filter(activity=activity).exists()
    _activity(worker, tree.station_a, room, title="补办活动")


def test_activity_cannot_book_another_stations_room(tree, admin, worker):
    room_b = room_at(tree.station_b)
    with pytest.raises(ValidationError) as exc:
        _activity(admin, tree.station_a, room_b)
    assert "room" in exc.value.message_dict


def test_party_led_and_project_kept(tree, worker):
    from projects.models import Project

    project = Project.objects.create(
        unit=tree.station_a, name="银龄守护", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31)
    )
    activity = _activity(worker, tree.station_a, None, venue="社区广场", party_led=True, project=project)
    assert (activity.party_led, activity.project) == (True, project)
    far = Project.objects.create(
        unit=tree.station_b, name="乙站项目", starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 12, 31)
    )
    with pytest.raises(ValidationError) as exc:
        _activity(worker, tree.station_a, None, venue="社区广场", project=far)
    assert "project" in exc.value.message_dict


# ---------------------------------------------------------------- seasons


def _season(actor, room, **kw):
    args = {
        "purpose": "合唱团每周排练",
        "weekday": 1,  # Tuesdays
        "starts": dt.time(19),
        "ends": dt.time(21),
        "first_day": dt.date(2026, 11, 23),
        "last_day": dt.date(2027, 1, 31),
    }
    args.update(kw)
    return services.season_book(actor=actor, room=room, **args)


def test_season_books_every_week_but_the_holidays(tree, worker):
    room = room_at(tree.station_a)
    org = CommunityOrganisation.objects.create(unit=tree.a1, name="西湖合唱团")
    season = _season(worker, room, organisation=org, skip_dates=[dt.date(2026, 12, 29)])
    starts = [b.starts_at.astimezone(SH).date() for b in season.bookings.order_by("starts_at")]
    assert starts[0] == dt.date(2026, 11, 24) and starts[-1] == dt.date(2027, 1, 26)
    assert dt.date(2026, 12, 29) not in starts and len(starts) == 9
    assert {b.kind for b in season.bookings.all()} == {"group"}
    assert AuditEvent.objects.filter(action="season.book").count() == 1


def test_season_with_a_clash_books_nothing_and_lists_the_dates(tree, worker):
    room = room_at(tree.station_a, closed_dates=["2026-12-15"])
    _book(
        worker,
        room,
        dt.datetime(2026, 12, 8, 20, tzinfo=SH),
        dt.datetime(2026, 12, 8, 21, tzinfo=SH),
        purpose="党员会议",
    )
    before = _counts()
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        _season(worker, room)
    messages = exc.value.message_dict["__all__"]
    assert "2 of 10" in messages[0]
    assert any(m.startswith("2026-12-08") and "党员会议" in m for m in messages)
    assert any(m.startswith("2026-12-15") for m in messages)
    assert _counts() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends": dt.time(18)}, "ends"),
        ({"last_day": dt.date(2026, 11, 1)}, "last_day"),
        ({"last_day": dt.date(2028, 1, 1)}, "last_day"),
        ({"weekday": 9}, "weekday"),
        ({"purpose": ""}, "purpose"),
        ({"first_day": dt.date(2026, 11, 25), "last_day": dt.date(2026, 11, 28)}, "weekday"),
    ],
)
def test_bad_seasons_refused(tree, worker, change, field):
    room = room_at(tree.station_a)
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        _season(worker, room, **change)
    assert field in exc.value.message_dict
    assert _counts() == before


def test_season_cancel_releases_only_the_coming_sessions(tree, worker):
    room = room_at(tree.station_a)
    season = _season(worker, room, first_day=dt.date(2026, 11, 1))
    past = season.bookings.filter(starts_at__lt=NOW).count()
    assert past == 3  # 3, 10 and 17 November
    released = services.season_cancel(actor=worker, season=season)
    assert released == 10 and season.bookings.count() == past
    with pytest.raises(ValidationError):
        services.season_cancel(actor=worker, season=season)


# ---------------------------------------------------------------- venues and rooms


def test_room_hours_and_names_checked(tree, worker):
    room = room_at(tree.station_a)
    with pytest.raises(ValidationError) as exc:
        services.room_create(actor=worker, venue=room.venue, name=room.name)
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.room_create(actor=worker, venue=room.venue, name="新房间", hours={"2": ["18:00", "09:00"]})
    assert "closes_2" in exc.value.message_dict
    new = services.room_create(
        actor=worker,
        venue=room.venue,
        name="新房间",
        hours={"2": ["09:00", "18:00"]},
        closed_dates=[dt.date(2027, 1, 1)],
    )
    assert new.hours == {"2": ["09:00", "18:00"]} and new.closed_dates == ["2027-01-01"]


def test_venue_update_audited(tree, worker, outsider):
    venue = room_at(tree.station_a).venue
    services.venue_update(actor=worker, venue=venue, name="甲站文化中心", address="中山路1号", capacity=200)
    venue.refresh_from_db()
    assert venue.name == "甲站文化中心"
    assert AuditEvent.objects.filter(action="venue.update").count() == 1
    with pytest.raises(Http404):
        services.venue_update(actor=outsider, venue=venue, name="乙")
    with pytest.raises(ValidationError):
        services.venue_update(actor=worker, venue=venue, name="甲", latitude=1)
