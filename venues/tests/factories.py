"""Venues and rooms for tests."""

from __future__ import annotations

from typing import Any

from venues.models import Room
from workrecords.models import Venue

OPEN = {str(d): ["08:00", "21:00"] for d in range(7)}


def room_at(unit: Any, name: str = "多功能厅", capacity: int | None = 30, **kw: Any) -> Room:
    venue, _c = Venue.objects.get_or_create(unit=unit, name=f"{unit.name}文化站")
    return Room.objects.create(venue=venue, name=name, capacity=capacity, hours=kw.pop("hours", OPEN), **kw)
