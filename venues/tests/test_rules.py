"""The booking rule (venues/rules.py): property tests of half-open intervals
and the refusals, without the database."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from venues import rules
from venues.models import Room

DAY = dt.datetime(2026, 11, 24)  # a Tuesday
minutes = st.integers(min_value=0, max_value=24 * 60 - 1)


def _at(m: int) -> dt.datetime:
    return DAY + dt.timedelta(minutes=m)


@st.composite
def spans(draw: st.DrawFn) -> tuple[dt.datetime, dt.datetime]:
    a = draw(minutes)
    b = draw(st.integers(min_value=a + 1, max_value=24 * 60))
    return _at(a), _at(b)


@given(spans(), spans())
def test_overlap_is_symmetric_and_matches_shared_minutes(x, y):
    shared = max(x[0], y[0]) < min(x[1], y[1])
    assert rules.overlaps(*x, *y) == rules.overlaps(*y, *x) == shared


@given(spans(), st.integers(min_value=1, max_value=600))
def test_back_to_back_bookings_never_clash(x, length):
    after = (x[1], x[1] + dt.timedelta(minutes=length))
    before = (x[0] - dt.timedelta(minutes=length), x[0])
    assert not rules.overlaps(*x, *after)
    assert not rules.overlaps(*x, *before)


@given(spans())
def test_a_booking_clashes_with_itself_unless_ignored(x):
    taken = [rules.Taken(x[0], x[1], "合唱排练", pk=7)]
    assert rules.clashes(x[0], x[1], taken) == taken
    assert rules.clashes(x[0], x[1], taken, ignore=7) == []


@given(st.lists(spans(), max_size=8), spans())
def test_refused_exactly_when_some_booking_shares_a_moment(existing, wanted):
    room = SimpleNamespace(name="舞蹈室", capacity=None, opening=lambda day: (dt.time(0), dt.time(23, 59, 59)))
    taken = [rules.Taken(s, e, f"b{i}", pk=i) for i, (s, e) in enumerate(existing)]
    errors = rules.refusals(room, *wanted, taken=taken)
    clash = any(s < wanted[1] and wanted[0] < e for s, e in existing)
    assert ("__all__" in errors) == clash
    assert set(errors) <= {"__all__"}  # open all day, no capacity: nothing else refuses


@given(spans(), st.integers(min_value=1, max_value=60), st.integers(min_value=1, max_value=60))
def test_capacity_refused_only_above_it(x, capacity, attendees):
    room = SimpleNamespace(name="书画室", capacity=capacity, opening=lambda day: (dt.time(0), dt.time(23, 59, 59)))
    errors = rules.refusals(room, *x, attendees=attendees)
    assert ("attendees" in errors) == (attendees > capacity)


@given(spans())
def test_opening_hours_hold_the_whole_booking(x):
    room = Room(name="会议室", hours={"1": ["09:00", "17:00"]})  # Tuesdays only
    errors = rules.refusals(room, *x)
    inside = x[0].time() >= dt.time(9) and x[1] <= DAY.replace(hour=17) and x[1].date() == DAY.date()
    assert ("starts_at" in errors) == (not inside)


def test_a_closed_day_and_a_closed_weekday_are_refused_with_the_room_named():
    room = Room(name="会议室", hours={"1": ["09:00", "17:00"]}, closed_dates=["2026-11-24"])
    errors = rules.refusals(room, DAY.replace(hour=10), DAY.replace(hour=11))
    assert "会议室" in errors["starts_at"]
    wednesday = DAY + dt.timedelta(days=1)
    assert "starts_at" in rules.refusals(room, wednesday.replace(hour=10), wednesday.replace(hour=11))


def test_an_empty_or_reversed_span_is_refused():
    room = Room(name="会议室")
    assert "ends_at" in rules.refusals(room, DAY.replace(hour=10), DAY.replace(hour=10))
    assert "ends_at" in rules.refusals(room, DAY.replace(hour=11), DAY.replace(hour=10))
    assert "ends_at" in rules.refusals(room, DAY.replace(hour=20), DAY.replace(hour=10) + dt.timedelta(days=1))


@given(
    st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31)),
    st.integers(min_value=0, max_value=200),
    st.integers(min_value=0, max_value=6),
    st.sets(st.integers(min_value=0, max_value=200), max_size=10),
)
def test_season_days_are_the_weekdays_of_the_term_less_the_holidays(first, length, weekday, skip_offsets):
    last = first + dt.timedelta(days=length)
    skip = {first + dt.timedelta(days=o) for o in skip_offsets}
    days = rules.season_days(first, last, weekday, skip)
    every = [first + dt.timedelta(days=i) for i in range(length + 1)]
    assert days == [d for d in every if d.weekday() == weekday and d not in skip]
