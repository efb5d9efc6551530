"""Rooms and their bookings (issue 17), read only: the week calendar's data
for other clients. Scoped by the venues selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from api.params import Id, PageParams, paginate
from core.access import Perm, get_in_scope_or_404, require
from venues import selectors
from venues.models import Booking, Room

router = Router(tags=["venues"])


class RoomOut(Schema):
    id: int
    venue_id: int
    venue: str = Field(alias="venue.name")
    unit_id: int = Field(alias="venue.unit_id")
    name: str
    capacity: int | None
    area_m2: int | None
    facilities: str
    hours: dict[str, list[str]]
    closed_dates: list[str]
    is_active: bool


class RoomPage(Schema):
    count: int
    page: int
    pages: int
    items: list[RoomOut]


class BookingOut(Schema):
    id: int
    room_id: int
    unit_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    kind: str
    purpose: str
    attendees: int | None
    activity_id: int | None
    season_id: int | None


class BookingPage(Schema):
    count: int
    page: int
    pages: int
    items: list[BookingOut]


class BookingQuery(PageParams):
    room_id: Id | None = None
    start: dt.date | None = None  # from this day (local), default today
    days: int = Field(7, ge=1, le=92)


def _rooms(request: HttpRequest) -> Any:
    return selectors.rooms_visible(request.user).order_by("venue__name", "name", "id")


@router.get("/rooms", response=RoomPage)
def list_rooms(request: HttpRequest, paging: Query[PageParams]) -> dict:
    require(request.user, Perm.VIEW)
    return paginate(_rooms(request), paging)


@router.get("/rooms/{room_id}", response=RoomOut)
def get_room(request: HttpRequest, room_id: Id) -> Room:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(_rooms(request), request.user, "venue__unit", pk=room_id)


@router.get("/bookings", response=BookingPage)
def list_bookings(request: HttpRequest, query: Query[BookingQuery]) -> dict:
    """Bookings that start within `days` days from `start`, in time order."""
    require(request.user, Perm.VIEW)
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(query.start or timezone.localdate(), dt.time(0), tz)
    qs = selectors.bookings_visible(request.user).filter(
        starts_at__gte=lo, starts_at__lt=lo + dt.timedelta(days=query.days)
    )
    if query.room_id is not None:
        qs = qs.filter(room_id=query.room_id)
    return paginate(qs.order_by("starts_at", "id"), query)


@router.get("/bookings/{booking_id}", response=BookingOut)
def get_booking(request: HttpRequest, booking_id: Id) -> Booking:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(selectors.bookings_visible(request.user), request.user, pk=booking_id)
