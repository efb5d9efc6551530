"""Two people booking one room at once: the lock on the room's row makes the
bookings be decided one after the other, so of overlapping bookings made at
the same moment exactly one is kept. PostgreSQL only: the threads need
connections of their own (SQLite runs one writer at a time anyway)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from venues import services
from venues.models import Booking, Room
from venues.tests.factories import room_at

SH = ZoneInfo("Asia/Shanghai")
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads need separate connections to a server database"
)


def _race(n: int, work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    start = threading.Barrier(n)
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait()
            results.append(work(i))
        except BaseException as exc:  # collected: a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_of_eight_simultaneous_overlapping_bookings_one_is_kept(tree: Any, worker: Any) -> None:
    room = room_at(tree.station_a)
    day = dt.date.today() + dt.timedelta(days=7)

    def book(i: int) -> int:
        starts = dt.datetime.combine(day, dt.time(9, 0), SH) + dt.timedelta(minutes=10 * i)
        services.booking_create(
            actor=worker,
            room=Room.objects.get(pk=room.pk),
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            purpose=f"会议{i}",
        )
        return i

    won, lost = _race(8, book)
    assert len(won) == 1 and len(lost) == 7, lost
    assert all(isinstance(e, ValidationError) for e in lost), lost
    assert Booking.objects.filter(room=room).count() == 1


@on_postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_bookings_of_different_rooms_all_go_through(tree: Any, worker: Any) -> None:
    rooms = [room_at(tree.station_a, f"房间{i}") for i in range(4)]
    starts = dt.datetime.combine(dt.date.today() + dt.timedelta(days=7), dt.time(9, 0), SH)

    def book(i: int) -> int:
        services.booking_create(
            actor=worker, room=rooms[i], starts_at=starts, ends_at=starts + dt.timedelta(hours=2), purpose="会议"
        )
        return i

    won, lost = _race(4, book)
    assert sorted(won) == [0, 1, 2, 3] and not lost
