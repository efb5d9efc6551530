"""Scoped reads for venues, rooms and bookings (core.access.scope)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from core.access import scope
from venues.models import Booking, Room, Season
from workrecords.selectors import venues_visible


def rooms_visible(user: Any) -> QuerySet[Room]:
    return scope(Room.objects.all(), user, "venue__unit").select_related("venue__unit")


def rooms_bookable(user: Any) -> QuerySet[Room]:
    return rooms_visible(user).filter(is_active=True)


def bookings_visible(user: Any) -> QuerySet[Booking]:
    return scope(Booking.objects.all(), user).select_related("room__venue", "booked_by", "season")


def seasons_visible(user: Any) -> QuerySet[Season]:
    return scope(Season.objects.all(), user).select_related("room__venue", "organisation")


def venues_with_rooms(user: Any) -> QuerySet[Any]:
    return venues_visible(user).prefetch_related("rooms")


def week_of(day: dt.date) -> dt.date:
    """The Monday of the week holding `day`."""
    return day - dt.timedelta(days=day.weekday())


def week_bookings(user: Any, rooms: list[Room], monday: dt.date) -> list[Booking]:
    """The week's bookings of these rooms (already in the user's scope)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time(0), tz)
    end = start + dt.timedelta(days=7)
    return list(
        bookings_visible(user)
        .filter(room__in=rooms, starts_at__lt=end, ends_at__gt=start)
        .select_related("activity")
        .order_by("starts_at", "pk")
    )


def organisation_seasons(user: Any, organisation: Any) -> QuerySet[Season]:
    """A resident group's season bookings, newest term first."""
    return seasons_visible(user).filter(organisation=organisation)
