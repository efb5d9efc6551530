from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts import rollup
from contracts.actuals import actual, actuals_per_unit, by_month

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _check_every_time(monkeypatch):
    monkeypatch.setattr(rollup, "CHECK_SECONDS", -1.0)
    monkeypatch.setattr(rollup, "REUSE_SECONDS", -1.0)
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
    assert rollup.refresh("hours") == 2  # two (unit, day) rows
    days = rollup.service_days()
    assert days is not None and days.get(unit=tree.a1).hours == Decimal("3.5")
    q1 = actual("volunteer_hours", [tree.station_a], D(2026, 1, 1), D(2026, 3, 31))
    assert q1.value == Decimal("3.5") and q1.records.count() == 2
    late = record(tree.a1, D(2026, 2, 1), "10")  # not in the rollup: counted from the records after it
    assert rollup.service_days() is not None
    assert actual("volunteer_hours", [tree.station_a], D(2026, 1, 1), D(2026, 3, 31)).value == Decimal("13.5")
    rollup.refresh("hours")
    late.delete()
    assert rollup.service_days() is None  # a deletion makes it stale
    assert actual("volunteer_hours", [tree.station_a], D(2026, 1, 1), D(2026, 3, 31)).value == Decimal("3.5")


def test_it_reuses_its_count_until_the_audit_log_moves(tree, lead, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from audit.actions import Action
    from audit.services import audit_record
    from volunteering.models import ServiceRecord
    from volunteers.tests.factories import VolunteerFactory

    monkeypatch.setattr(rollup, "REUSE_SECONDS", 60.0)
    vol = VolunteerFactory(unit=tree.a1)
    kept = {"volunteer": vol, "unit": tree.a1, "activity_name": "助老", "date": D(2026, 3, 2)}
    ServiceRecord.objects.create(**kept, hours=Decimal("2"))
    gone = ServiceRecord.objects.create(**kept, hours=Decimal("3"))
    rollup.refresh("hours")
    assert rollup.service_days() is not None
    with CaptureQueriesContext(connection) as asked:
        assert rollup.service_days() is not None
    assert len(asked) == 1 and "COUNT" not in asked[0]["sql"].upper()  # the audit log's head only
    # A service deletes a record and audits it: the next reader counts again.
    audit_record(actor=lead, action=Action.SERVICERECORD_DISCARD, target=gone)
    gone.delete()
    assert rollup.service_days() is None
    assert actual("volunteer_hours", [tree.station_a], D(2026, 1, 1), D(2026, 3, 31)).value == Decimal("2")


def test_it_counts_a_pending_service_record_only_once_confirmed(tree, lead):
    from volunteering.models import ServiceRecord
    from volunteering.services import service_record_confirm
    from volunteers.tests.factories import VolunteerFactory

    vol = VolunteerFactory(unit=tree.a1)
    kept = {"volunteer": vol, "unit": tree.a1, "activity_name": "助老", "date": D(2026, 3, 2)}
    ServiceRecord.objects.create(**kept, hours=Decimal("2"))
    signed_in = ServiceRecord.objects.create(**kept, hours=Decimal("3"), pending=True)  # a QR sign-in
    quarter = ([tree.station_a], D(2026, 1, 1), D(2026, 3, 31))

    def hours() -> tuple[Decimal | None, int]:
        figure = actual("volunteer_hours", *quarter)
        assert figure.records is not None
        return figure.value, figure.records.count()

    assert hours() == (Decimal("2"), 1)  # from the records
    rollup.refresh("hours")
    assert rollup.service_days() is not None
    assert hours() == (Decimal("2"), 1)  # from the rollup
    service_record_confirm(actor=lead, record=signed_in)
    assert rollup.service_days() is None  # confirmed in place: the rollup no longer matches
    assert hours() == (Decimal("5"), 2)
    rollup.refresh("hours")
    assert hours() == (Decimal("5"), 2)


def test_it_changes_its_version_when_rebuilt(tree):
    before = rollup.version()
    rollup.refresh()
    assert rollup.version() != before


UNITS = ["a1", "a2", "b1", "station_a", "district"]
BELOW = {"district": set(UNITS), "station_a": {"station_a", "a1", "a2"}, "station_b": {"b1"}}
DAYS = [D(2025, 12, 31), D(2026, 1, 1), D(2026, 1, 31), D(2026, 2, 1), D(2026, 2, 28), D(2026, 3, 1)]
SPAN = (D(2026, 1, 1), D(2026, 2, 28))
writes = st.lists(st.tuples(st.sampled_from(UNITS), st.sampled_from(DAYS), st.integers(1, 8)), max_size=10)


def _expected(alive):
    inside = [(u, d, n) for u, d, n in alive if SPAN[0] <= d <= SPAN[1]]
    visits = {root: sum(1 for u, _d, _n in inside if u in below) for root, below in BELOW.items()}
    hours = {
        root: sum((Decimal(n) / 2 for u, _d, n in inside if u in below), Decimal(0)) for root, below in BELOW.items()
    }
    months = {
        m: sum(1 for _u, d, _n in inside if (d.year, d.month) == (m.year, m.month))
        for m in (D(2026, 1, 1), D(2026, 2, 1))
    }
    return visits, hours, months


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=writes, after=writes, drop=st.integers(0, 2))
def test_it_counts_from_the_rollup_exactly_what_the_records_count(tree, before, after, drop):
    """Random visits and service hours, some written after the rollup was
    built and some deleted: each station's and the district's figure and
    each month equal a count made here by hand, before and after a rebuild."""
    from django.db import transaction

    from grading.models import Visit
    from people.tests.factories import PersonFactory
    from volunteering.models import ServiceRecord
    from volunteers.tests.factories import VolunteerFactory

    sid = transaction.savepoint()
    person, vol = PersonFactory(unit=tree.a1), VolunteerFactory(unit=tree.a1)

    def write(rows):
        made = []
        for name, day, n in rows:
            unit = getattr(tree, name)
            made.append(Visit.objects.create(person=person, unit=unit, visited_on=day))
            made.append(
                ServiceRecord.objects.create(
                    volunteer=vol, unit=unit, activity_name="助老", date=day, hours=Decimal(n) / 2
                )
            )
        return made

    try:
        made = write(before)
        rollup.refresh()
        write(after)
        for record in made[: 2 * drop]:
            record.delete()
        visits, hours, months = _expected([*before[drop:], *after])
        roots = [tree.district, tree.station_a, tree.station_b]
        for rebuilt in (False, True):
            if rebuilt:
                rollup.refresh()
            rollup.forget()
            assert (rollup.current("visits") is not None) == (rebuilt or not drop or not before)
            got_visits = actuals_per_unit("key_visits", roots, *SPAN)[1]
            assert {u.pk: got_visits[u.pk] for u in roots} == {getattr(tree, r).pk: v for r, v in visits.items()}
            got_hours = actuals_per_unit("volunteer_hours", roots, *SPAN)[1]
            assert {u.pk: got_hours[u.pk] for u in roots} == {getattr(tree, r).pk: v for r, v in hours.items()}
            assert actuals_per_unit("person_times", roots, *SPAN)[1] == got_visits
            assert by_month("key_visits", tree.district, *SPAN) == months
            assert sum(by_month("volunteer_hours", tree.district, *SPAN).values()) == hours["district"]
    finally:
        transaction.savepoint_rollback(sid)
        rollup.forget()
