from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from contracts import rollup
from contracts.actuals import actual

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _check_every_time(monkeypatch):
    monkeypatch.setattr(rollup, "CHECK_SECONDS", -1.0)
    rollup.forget()
    yield
    rollup.forget()  # the rollup rows are rolled back with this test


def test_it_serves_hours_from_a_current_rollup_and_never_from_a_stale_one(tree):
    from volunteering.models import ServiceRecord
    from volunteers.tests.factories import VolunteerFactory

    vol = VolunteerFactory(unit=tree.a1)

    def record(unit, day, hours):
        return ServiceRecord.objects.create(
            volunteer=vol, unit=unit, activity_name="助老", date=day, hours=Decimal(hours)
        )

    record(tree.a1, D(2026, 3, 31), "2")
    record(tree.a1, D(2026, 3, 31), "1.5")
    record(tree.a2, D(2026, 4, 1), "4")
    assert rollup.service_days() is None  # never built
    assert rollup.refresh() == 2  # two (unit, day) rows
    days = rollup.service_days()
    assert days is not None and days.get(unit=tree.a1).hours == Decimal("3.5")
    q1 = actual("volunteer_hours", [tree.station_a], D(2026, 1, 1), D(2026, 3, 31))
    assert q1.value == Decimal("3.5") and q1.records.count() == 2
    late = record(tree.a1, D(2026, 2, 1), "10")  # not in the rollup yet
    assert rollup.service_days() is None
    assert actual("volunteer_hours", [tree.station_a], D(2026, 1, 1), D(2026, 3, 31)).value == Decimal("13.5")
    rollup.refresh()
    late.delete()
    assert rollup.service_days() is None  # a deletion also makes it stale
    assert actual("volunteer_hours", [tree.station_a], D(2026, 1, 1), D(2026, 3, 31)).value == Decimal("3.5")
