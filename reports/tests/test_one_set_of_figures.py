"""One set of figures at every level: records filed at the district, a
station and its communities, on both sides of month, quarter and year ends,
give the same figure for every KPI on the station report, the district
roll-up, the dashboard, the contract's progress and the API — and each
matches a count made here by hand from the records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import count
from typing import Any, cast

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from contracts.actuals import KPI_CODES, month_starts
from contracts.progress import contract_progress, period_for
from contracts.tests.factories import contract_for, target
from people.models import Person
from reports.builder import collect
from reports.dashboards import dashboard
from reports.figures import figure_table
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

D = dt.date
NOW = dt.datetime(2027, 2, 1, 4, tzinfo=dt.UTC)  # every period below is over
UNITS = ["district", "station_a", "a1", "a2", "station_b", "b1"]
# the last and first day of months, quarters and years
EDGES = [
    D(2025, 12, 31),
    D(2026, 1, 1),
    D(2026, 1, 31),
    D(2026, 2, 1),
    D(2026, 3, 31),
    D(2026, 4, 1),
    D(2026, 6, 30),
    D(2026, 7, 1),
    D(2026, 9, 30),
    D(2026, 10, 1),
    D(2026, 12, 31),
    D(2027, 1, 1),
]
KINDS = [
    "visit",
    "grade",
    "case",
    "case_service",
    "activity",
    "activity_planned",
    "group",
    "task",
    "volunteer",
    "hours",
    "ledger_in",
    "ledger_out",
    "organisation",
    "survey",
]
records = st.lists(
    st.tuples(st.sampled_from(KINDS), st.sampled_from(UNITS), st.sampled_from(EDGES), st.integers(1, 5)),
    max_size=14,
)
periods = st.tuples(st.sampled_from(["month", "quarter", "year", "contract"]), st.sampled_from(EDGES[1:-1]))
SUMMED = [c for c in KPI_CODES if c not in {"unique_persons", "monthly_visit_rate", "satisfaction"}]
_numbers = count(1)


class World:
    """The fixed cast (tree, people, a contract) and, per example, a log of
    what was recorded where, from which the expected figures are counted."""

    def __init__(self, tree: Any, admin: Any) -> None:
        from people.tests.factories import PersonFactory

        self.tree, self.admin = tree, admin
        self.units = {k: getattr(tree, k) for k in UNITS}
        self.people: dict[str, list[Person]] = {
            k: [cast(Person, PersonFactory(unit=u)), cast(Person, PersonFactory(unit=u))] for k, u in self.units.items()
        }
        self.contract = contract_for([tree.station_a, tree.station_b], unit=tree.district)
        for station in (tree.station_a, tree.station_b):
            for code in KPI_CODES:
                target(self.contract, station, code, 100)
        self.log: list[dict[str, Any]] = []

    def add(self, kind: str, key: str, day: dt.date, n: int) -> None:
        from casework.models import (
            Activity,
            ActivitySignup,
            Case,
            DeliveredService,
            Group,
            GroupAttendance,
            GroupMember,
            GroupSession,
        )
        from core.models import ServiceDomain
        from grading.models import PersonGrade, Visit
        from matching.models import ServiceTask
        from matching.tests.factories import need_for, volunteer_offer
        from partners.models import ResourceEntry
        from partners.tests.factories import CommunityOrganisationFactory
        from volunteering.models import ServiceRecord
        from volunteers.tests.factories import VolunteerFactory
        from workrecords.models import SatisfactionSurvey

        unit, person = self.units[key], self.people[key][n % 2]
        domain = ServiceDomain.objects.get(code="elderly")
        tz = timezone.get_current_timezone()
        entry = {"kind": kind, "unit": unit.pk, "day": day, "n": n, "person": person.pk}
        if kind == "visit":
            Visit.objects.create(person=person, unit=unit, visited_on=day)
        elif kind == "grade":
            PersonGrade.objects.get_or_create(
                person=person, defaults={"unit": unit, "card": "red", "graded_at": timezone.now()}
            )
        elif kind in ("case", "case_service"):
            case = Case.objects.create(
                unit=unit,
                number=f"T{next(_numbers)}",
                person=person,
                domain=domain,
                title="独居",
                opened_on=day if kind == "case" else D(2025, 6, 1),
                worker=self.admin,
            )
            if kind == "case_service":
                DeliveredService.objects.create(case=case, date=day, description="电话关怀")
        elif kind in ("activity", "activity_planned"):
            # late at night and just after midnight, local time: still `day`
            at = dt.datetime.combine(day, dt.time(23, 30) if n % 2 else dt.time(0, 10), tzinfo=tz)
            activity = Activity.objects.create(
                unit=unit,
                title="重阳敬老",
                domain=domain,
                venue="活动室",
                starts_at=at,
                ends_at=at + dt.timedelta(minutes=20),
                organiser="社工站",
                person_in_charge=self.admin,
                status="done" if kind == "activity" else "planned",
                head_count=n,
            )
            ActivitySignup.objects.create(activity=activity, person=person, attended=True)
        elif kind == "group":
            group = Group.objects.create(
                unit=unit, name="互助小组", domain=domain, goals="互助", worker=self.admin, start_on=day, status="done"
            )
            member = GroupMember.objects.create(group=group, person=person, joined_on=day)
            session = GroupSession.objects.create(group=group, number=1, date=day, topic="破冰")
            GroupAttendance.objects.create(session=session, member=member)
        elif kind == "task":
            need = need_for(unit, person=person)
            offer = volunteer_offer(unit)
            ServiceTask.objects.create(
                unit=unit,
                need=need,
                resource=offer,
                volunteer=offer.volunteer,
                due_date=day,
                status="done",
                completed_on=day,
            )
        elif kind == "volunteer":
            volunteer = cast(Volunteer, VolunteerFactory(unit=unit))
            at = dt.datetime.combine(day, dt.time(0, 10), tzinfo=tz)
            Volunteer.objects.filter(pk=volunteer.pk).update(created_at=at)
        elif kind == "hours":
            ServiceRecord.objects.create(
                volunteer=cast(Volunteer, VolunteerFactory(unit=unit)),
                unit=unit,
                activity_name="助老",
                date=day,
                hours=Decimal(n) / 2,
            )
        elif kind in ("ledger_in", "ledger_out"):
            ResourceEntry.objects.create(
                unit=unit,
                direction=kind.removeprefix("ledger_"),
                kind="money",
                date=day,
                purpose="助学",
                value=Decimal(n) * Decimal("100.25"),
            )
        elif kind == "organisation":
            CommunityOrganisationFactory(unit=unit, founded_on=day, members=3 * n, party_members=n)
        elif kind == "survey":
            SatisfactionSurvey.objects.create(unit=unit, date=day, subject_type="service", subject="助餐", score=n)
        if kind in ("task", "hours"):  # a volunteer registered today came with it
            self.log.append({"kind": "volunteer", "unit": unit.pk, "day": timezone.localdate(), "n": 0})
        self.log.append(entry)

    def expected(self, code: str, ids: set[int], start: dt.date, end: dt.date) -> Decimal | None:
        """The figure counted by hand from the log."""
        rows = [e for e in self.log if e["unit"] in ids]
        within = [e for e in rows if start <= e["day"] <= end]

        def n_of(*kinds: str) -> int:
            return sum(1 for e in within if e["kind"] in kinds)

        if code == "cases":
            return Decimal(n_of("case"))
        if code == "key_visits":
            return Decimal(n_of("visit"))
        if code == "activities":
            return Decimal(n_of("activity"))
        if code == "groups":
            return Decimal(n_of("group"))
        if code == "person_times":
            heads = sum(e["n"] for e in within if e["kind"] == "activity")
            return Decimal(n_of("visit", "case_service", "activity", "group", "task") + heads)
        if code == "unique_persons":
            kinds = {"visit", "case_service", "activity", "group", "task"}
            return Decimal(len({e["person"] for e in within if e["kind"] in kinds}))
        orgs = [e for e in rows if e["kind"] == "organisation" and e["day"] <= end]
        if code == "organisations":
            return Decimal(len(orgs))
        if code == "organisation_members":
            return Decimal(sum(3 * e["n"] for e in orgs))
        if code == "party_members":
            return Decimal(sum(e["n"] for e in orgs))
        if code == "volunteers_recruited":
            return Decimal(n_of("volunteer"))
        if code == "volunteer_hours":
            return sum((Decimal(e["n"]) / 2 for e in within if e["kind"] == "hours"), Decimal(0))
        if code == "resources_rmb":
            return sum((e["n"] * Decimal("100.25") for e in within if e["kind"] == "ledger_in"), Decimal(0))
        if code == "satisfaction":
            scores = [e["n"] for e in within if e["kind"] == "survey"]
            return (Decimal(sum(scores)) * 20 / len(scores)).quantize(Decimal("0.1")) if scores else None
        if code == "monthly_visit_rate":
            graded = {e["person"] for e in rows if e["kind"] == "grade"}
            # a person graded twice keeps the first grade's unit
            graded = {p for p in graded if self._graded_at(p) in ids}
            if not graded:
                return None
            visits = [e for e in self.log if e["kind"] == "visit" and start <= e["day"] <= end]
            rates = [
                Decimal(len({e["person"] for e in visits if e["day"].replace(day=1) == m} & graded)) * 100 / len(graded)
                for m in month_starts(start, end)
            ]
            return (sum(rates, Decimal(0)) / len(rates)).quantize(Decimal("0.1"))
        raise AssertionError(code)

    def _graded_at(self, person: int) -> int:
        return next(e["unit"] for e in self.log if e["kind"] == "grade" and e["person"] == person)


@pytest.fixture
def world(tree: Any, admin: Any) -> World:
    return World(tree, admin)


def _values(rows: Any) -> list[dict[str, Any]]:
    return [r.values for r in rows]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(recorded=records, period=periods)
# just after midnight (local time) on the first day of a quarter, and on the day after a month
@example(
    recorded=[("activity", "a1", D(2026, 4, 1), 2), ("volunteer", "a2", D(2026, 4, 1), 1)],
    period=("quarter", D(2026, 5, 5)),
)
@example(recorded=[("activity", "station_a", D(2026, 2, 1), 4)], period=("month", D(2026, 1, 1)))
# what the station files itself, and a district-level record beside it
@example(
    recorded=[
        ("ledger_in", "station_a", D(2026, 10, 1), 5),
        ("visit", "station_a", D(2026, 12, 31), 1),
        ("grade", "station_a", D(2026, 1, 1), 1),
        ("survey", "district", D(2026, 10, 1), 3),
    ],
    period=("quarter", D(2026, 10, 1)),
)
def test_it_gives_one_figure_per_kpi_at_every_level(world: World, as_user: Any, recorded: list, period: tuple) -> None:
    from contracts.rollup import forget

    tree, kind, day = world.tree, *period
    forget()
    with transaction.atomic(), time_machine.travel(NOW, tick=False):
        world.log = []
        for record in recorded:
            world.add(*record)
        span = period_for(kind, day, world.contract)
        start, end = span.start, span.end
        if kind == "contract":
            station = figure_table(tree.station_a, [tree.a1, tree.a2], start, end)
            district = figure_table(tree.district, [tree.station_a, tree.station_b], start, end)
        else:
            station = collect(tree.station_a, kind, day).table
            district = collect(tree.district, kind, day).table
        # the station's rows: its own level, then each community; the district's likewise
        assert [(r.unit, r.own) for r in station.rows] == [(tree.station_a, True), (tree.a1, False), (tree.a2, False)]
        assert [(r.unit, r.own) for r in district.rows][:2] == [(tree.district, True), (tree.station_a, False)]
        subtree_a = {tree.station_a.pk, tree.a1.pk, tree.a2.pk}
        everything = {u.pk for u in world.units.values()}
        for code in [*KPI_CODES, "party_members"]:
            for row, ids in zip(station.rows, [{tree.station_a.pk}, {tree.a1.pk}, {tree.a2.pk}], strict=True):
                assert row.values[code] == world.expected(code, ids, start, end), (code, row.label)
            assert station.totals[code] == world.expected(code, subtree_a, start, end), code
            assert district.rows[1].values[code] == station.totals[code], code
            assert district.totals[code] == world.expected(code, everything, start, end), code
            if code in SUMMED or code == "party_members":
                assert station.totals[code] == sum(v[code] for v in _values(station.rows)), code
                assert district.totals[code] == sum(v[code] for v in _values(district.rows)), code
        # the contract's page and the API count the same figures
        progress = {
            c.kpi.code: c.actual.value for c in contract_progress(world.contract, [tree.station_a], span)[0].cells
        }
        assert progress == {c: station.totals[c] for c in KPI_CODES}
        api = as_user(world.admin).get(
            f"/api/v1/contracts/{world.contract.pk}/progress", {"period": kind, "date": day.isoformat()}
        )
        (api_a,) = [s for s in api.json()["stations"] if s["unit_id"] == tree.station_a.pk]
        assert {c["kpi"]: _dec(c["actual"]) for c in api_a["cells"]} == progress
        if kind in ("year", "contract"):
            board = dashboard(world.admin, tree.station_a, 2026)["table"]
            assert _values(board.rows) == [{c: v[c] for c in board.codes} for v in _values(station.rows)]
            assert board.totals == {c: station.totals[c] for c in board.codes}
            body = as_user(world.admin).get(f"/api/v1/dashboard/{tree.district.pk}", {"year": 2026}).json()
            (row_a,) = [r for r in body["rows"] if r["unit_id"] == tree.station_a.pk]
            assert {c: _dec(v) for c, v in row_a["figures"].items()} == {c: station.totals[c] for c in board.codes}
        transaction.set_rollback(True)


def _dec(v: Any) -> Decimal | None:
    return None if v is None else Decimal(str(v))
