"""KPI actuals against hand-counted fixtures, across period boundaries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from contracts.actuals import actual
from contracts.progress import contract_progress, period_for
from contracts.tests.factories import contract_for, target

pytestmark = pytest.mark.django_db

D = dt.date


def _hours(tree):
    from volunteering.models import ServiceRecord
    from volunteers.tests.factories import VolunteerFactory

    va, vb = VolunteerFactory(unit=tree.a1), VolunteerFactory(unit=tree.b1)
    for vol, unit, day, hours in [
        (va, tree.a1, D(2026, 3, 31), "2.5"),  # last day of Q1
        (va, tree.a2, D(2026, 1, 1), "4"),  # first day of Q1
        (va, tree.a1, D(2026, 4, 1), "3"),  # first day of Q2
        (va, tree.station_a, D(2025, 12, 31), "8"),  # last year
        (vb, tree.b1, D(2026, 2, 1), "100"),  # another station
    ]:
        ServiceRecord.objects.create(volunteer=vol, unit=unit, activity_name="助老", date=day, hours=Decimal(hours))


def test_it_sums_volunteer_hours_inside_the_period_only(tree):
    _hours(tree)
    q1 = actual("volunteer_hours", [tree.station_a], D(2026, 1, 1), D(2026, 3, 31))
    assert q1.value == Decimal("6.5") and q1.records.count() == 2
    assert actual("volunteer_hours", [tree.station_a], D(2026, 4, 1), D(2026, 6, 30)).value == Decimal("3")
    assert actual("volunteer_hours", [tree.a2], D(2026, 1, 1), D(2026, 12, 31)).value == Decimal("4")
    assert actual("volunteer_hours", [tree.district], D(2026, 1, 1), D(2026, 12, 31)).value == Decimal("109.5")


def _graded(unit, n):
    from grading.models import PersonGrade
    from people.tests.factories import PersonFactory

    people = []
    for _ in range(n):
        p = PersonFactory(unit=unit)
        PersonGrade.objects.create(person=p, unit=unit, card="red", graded_at=timezone.now())
        people.append(p)
    return people


def _visit(person, day):
    from grading.models import Visit

    return Visit.objects.create(person=person, unit=person.unit, visited_on=day)


def test_it_counts_key_visits_and_the_monthly_visit_rate(tree):
    p1, p2 = _graded(tree.a1, 2)
    (p3,) = _graded(tree.b1, 1)
    _visit(p1, D(2026, 1, 31))
    _visit(p1, D(2026, 1, 5))  # same month twice: one person
    _visit(p2, D(2026, 1, 10))
    _visit(p1, D(2026, 2, 1))
    _visit(p3, D(2026, 2, 2))
    _visit(p2, D(2026, 3, 1))  # outside Jan–Feb
    assert actual("key_visits", [tree.station_a], D(2026, 1, 1), D(2026, 2, 28)).value == 4
    # Jan: 2 of 2 visited (100%), Feb: 1 of 2 (50%) → 75%
    with time_machine.travel(D(2026, 6, 1)):
        rate = actual("monthly_visit_rate", [tree.station_a], D(2026, 1, 1), D(2026, 2, 28))
    assert rate.value == Decimal("75.0")
    with time_machine.travel(D(2026, 1, 20)):  # February has not come yet: only January counts
        assert actual("monthly_visit_rate", [tree.station_a], D(2026, 1, 1), D(2026, 2, 28)).value == Decimal("100.0")


def test_it_counts_organisations_members_and_satisfaction(tree, admin):
    from partners.tests.factories import CommunityOrganisationFactory
    from workrecords.services import satisfaction_create

    CommunityOrganisationFactory(unit=tree.a1, members=30, party_members=5)
    CommunityOrganisationFactory(unit=tree.a2, members=12, party_members=2)
    CommunityOrganisationFactory(unit=tree.a2, members=99, is_active=False)
    CommunityOrganisationFactory(unit=tree.b1, members=50)
    assert actual("organisations", [tree.station_a], D(2026, 1, 1), D(2026, 12, 31)).value == 2
    members = actual("organisation_members", [tree.station_a], D(2026, 1, 1), D(2026, 12, 31))
    assert members.value == 42 and members.breakdown == {"party_members": 7}
    for day, score in [(D(2026, 3, 31), 5), (D(2026, 3, 1), 4), (D(2026, 4, 1), 1)]:
        satisfaction_create(actor=admin, unit=tree.a1, date=day, subject_type="service", subject="助餐", score=score)
    assert actual("satisfaction", [tree.station_a], D(2026, 1, 1), D(2026, 3, 31)).value == Decimal("90.0")
    assert actual("satisfaction", [tree.station_b], D(2026, 1, 1), D(2026, 3, 31)).value is None


def test_it_marks_a_source_that_is_not_installed_as_unavailable(tree):
    from django.apps import apps

    result = actual("cases", [tree.station_a], D(2026, 1, 1), D(2026, 3, 31))
    assert result.available == apps.is_installed("casework")
    assert actual("no_such_kpi", [tree.station_a], D(2026, 1, 1), D(2026, 3, 31)).available is False


def test_it_pro_rates_targets_and_flags_a_station_behind(tree):
    _hours(tree)
    contract = contract_for([tree.station_a, tree.station_b], unit=tree.district)
    target(contract, tree.station_a, "volunteer_hours", 365)  # one hour a day
    target(contract, tree.station_b, "volunteer_hours", 365)
    target(contract, tree.station_a, "satisfaction", 90)
    q1 = period_for("quarter", D(2026, 2, 14))
    with time_machine.travel(dt.datetime(2026, 2, 14, 12, tzinfo=dt.UTC)):
        rows = contract_progress(contract, [tree.station_a, tree.station_b], q1)
    a, b = rows
    hours_a = next(c for c in a.cells if c.kpi.code == "volunteer_hours")
    assert hours_a.target == Decimal("90.0")  # 365 × 90/365 days of Q1
    assert hours_a.expected == Decimal("45.0")  # 45 of Q1's 90 days elapsed
    assert hours_a.actual.value == Decimal("4")  # the 31 March record is still in the future
    assert hours_a.behind and a.behind
    assert not b.behind  # 100 hours ≥ 45 expected
    sat = next(c for c in a.cells if c.kpi.code == "satisfaction")
    assert sat.target == Decimal(90) and sat.actual.value is None and not sat.behind
    year = period_for("year", D(2026, 5, 1))
    with time_machine.travel(dt.datetime(2026, 12, 31, 12, tzinfo=dt.UTC)):
        (a,) = contract_progress(contract, [tree.station_a], year)
    hours_a = next(c for c in a.cells if c.kpi.code == "volunteer_hours")
    assert hours_a.actual.value == Decimal("9.5") and hours_a.target == Decimal("365.0") and hours_a.pct == 3


def test_it_pro_rates_a_contract_that_starts_mid_quarter(tree):
    contract = contract_for([tree.station_a], unit=tree.district, start=D(2026, 3, 1), end=D(2026, 8, 28))
    target(contract, tree.station_a, "volunteer_hours", 181)  # 181 days: one hour a day
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)):
        (row,) = contract_progress(contract, [tree.station_a], period_for("quarter", D(2026, 2, 1)))
    cell = row.cells[0]
    assert cell.target == Decimal("31.0") and cell.expected == Decimal("31.0")  # March only


def test_it_counts_resources_received_and_organisations_founded_by_the_period_end(tree):
    from partners.models import ResourceEntry
    from partners.tests.factories import CommunityOrganisationFactory

    for unit, day, direction, value in [
        (tree.a1, D(2026, 3, 31), "in", "1000"),
        (tree.a2, D(2026, 1, 1), "in", "250.50"),
        (tree.a1, D(2026, 2, 1), "out", "800"),  # handed on: not linked again
        (tree.a1, D(2026, 4, 1), "in", "9999"),  # next quarter
        (tree.b1, D(2026, 2, 1), "in", "5000"),
    ]:
        ResourceEntry.objects.create(
            unit=unit, direction=direction, kind="money", date=day, purpose="助学", value=Decimal(value)
        )
    assert actual("resources_rmb", [tree.station_a], D(2026, 1, 1), D(2026, 3, 31)).value == Decimal("1250.50")
    CommunityOrganisationFactory(unit=tree.a1, founded_on=D(2026, 3, 31), members=10, party_members=2)
    CommunityOrganisationFactory(unit=tree.a1, founded_on=D(2026, 4, 1), members=5, party_members=0)
    CommunityOrganisationFactory(unit=tree.a2, founded_on=None, members=7, party_members=0)
    q1 = actual("organisation_members", [tree.station_a], D(2026, 1, 1), D(2026, 3, 31))
    assert (q1.value, q1.breakdown["party_members"]) == (17, 2)
    assert actual("organisations", [tree.station_a], D(2026, 1, 1), D(2026, 6, 30)).value == 3


def _activity(unit, lead, starts_at, status, head_count=0):
    from casework.models import Activity
    from core.models import ServiceDomain

    return Activity.objects.create(
        unit=unit,
        title="重阳敬老",
        domain=ServiceDomain.objects.get(code="elderly"),
        venue="活动室",
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=2),
        organiser="社工站",
        person_in_charge=lead,
        status=status,
        head_count=head_count,
    )


def test_it_counts_casework_across_the_quarter_boundary(tree, lead, worker):
    from casework.tests.factories import open_case

    tz = timezone.get_current_timezone()
    open_case(worker, unit=tree.a1, opened_on=D(2026, 3, 31))
    open_case(worker, unit=tree.a2, opened_on=D(2026, 1, 1))
    open_case(worker, unit=tree.a1, opened_on=D(2026, 4, 1))
    # 23:30 local time on 31 March is still Q1; 00:10 on 1 April is Q2
    _activity(tree.a1, lead, dt.datetime(2026, 3, 31, 23, 30, tzinfo=tz), "done", head_count=40)
    _activity(tree.a1, lead, dt.datetime(2026, 4, 1, 0, 10, tzinfo=tz), "done", head_count=25)
    _activity(tree.a2, lead, dt.datetime(2026, 2, 1, 9, tzinfo=tz), "planned", head_count=99)  # not held
    q1 = (D(2026, 1, 1), D(2026, 3, 31))
    cases = actual("cases", [tree.station_a], *q1)
    assert cases.value == 2 and cases.records.count() == 2
    assert actual("activities", [tree.station_a], *q1).value == 1
    assert actual("activities", [tree.station_a], D(2026, 4, 1), D(2026, 6, 30)).value == 1
    times = actual("person_times", [tree.station_a], *q1)
    assert times.breakdown["activities"] == 40 and times.value == 40 + times.breakdown["cases"]
