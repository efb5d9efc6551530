"""What the URL walk (tests/leakwalk.py) needs from venues: a station-B room
with a booking and a season booking, all carrying CANARY."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from accounts.models import User


def _venues_b(w: Any) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        from django.utils import timezone

        from tests.factories import UserFactory
        from tests.leakwalk import CANARY
        from venues.models import Booking, Room, Season
        from workrecords.models import Venue

        b = w.tree.station_b
        booker = cast(
            "User",
            UserFactory(username="canary_booker_b", full_name=f"{CANARY}预约人", role="social_worker", unit=b),
        )
        venue = Venue.objects.create(unit=b, name=f"{CANARY}文化站")
        room = Room.objects.create(venue=venue, name=f"{CANARY}室", capacity=20, facilities=CANARY)
        start = timezone.now() + dt.timedelta(days=1)
        season = Season.objects.create(
            unit=b,
            room=room,
            purpose=CANARY,
            weekday=start.weekday(),
            starts=dt.time(9),
            ends=dt.time(10),
            first_day=start.date(),
            last_day=start.date() + dt.timedelta(days=30),
            booked_by=booker,
        )
        booking = Booking.objects.create(
            unit=b, room=room, starts_at=start, ends_at=start + dt.timedelta(hours=1), purpose=CANARY, booked_by=booker
        )
        return {"room": room, "season": season, "booking": booking}

    return w.once("venues_b", make)


def kwargs() -> dict[str, Callable[[Any], Any]]:
    return {
        "room_id": lambda w: _venues_b(w)["room"].pk,
        "booking_id": lambda w: _venues_b(w)["booking"].pk,
        "season_id": lambda w: _venues_b(w)["season"].pk,
    }


def populators() -> list[Callable[[Any], Any]]:
    return [_venues_b]
