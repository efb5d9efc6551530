"""The to-do inbox per role: what each must do now, linking to the action;
the district sees its subtree per station, not its own visits; nobody sees
another station's records; one grouped query per kind, whatever the staff."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from casework.tests.factories import open_case
from core.registry import TODO_ITEMS
from grading.models import Card
from grading.tests.factories import graded
from home.inbox import inbox, inbox_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Wednesday


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False), translation.override("en"):
        yield NOW


def _labels(rows: Any, *, supervision: bool = False) -> dict[str, int]:
    """Label (@station) → count; the month without supervision (every
    station of a test tree) only when asked for."""
    return {
        f"{r.label}{'@' + r.station if r.station else ''}": r.count
        for r in rows
        if supervision or not r.label.startswith("No supervision")
    }


def _submitted(worker: Any, unit: Any) -> Any:
    from casework.services import case_goal_add, case_move

    case = open_case(worker, unit=unit)
    case_move(actor=worker, case=case, action="assess")
    case_move(actor=worker, case=case, action="draft_plan")
    case_goal_add(actor=worker, case=case, text="每周外出社交一次")
    return case_move(actor=worker, case=case, action="submit_plan")


def test_it_puts_a_workers_overdue_red_visits_first(frozen: Any, tree: Any, worker: Any, colleague: Any) -> None:
    today = NOW.date()
    graded(tree.a1, Card.BLUE, next_due=today - dt.timedelta(days=2), responsible=worker)
    graded(tree.a1, Card.RED, next_due=today - dt.timedelta(days=1), responsible=worker)
    graded(tree.a1, Card.GREEN, next_due=today + dt.timedelta(days=4), responsible=worker)  # Sunday: this week
    graded(tree.a1, Card.GREEN, next_due=today + dt.timedelta(days=5), responsible=worker)  # next week
    graded(tree.a1, Card.RED, next_due=today, responsible=colleague)
    rows = inbox(worker)
    assert [(str(r.label), r.count, r.urgent) for r in rows] == [
        ("My overdue red-card visits", 1, True),
        ("My overdue visits", 1, True),
        ("My visits due this week", 1, False),
    ]
    assert rows[0].url == "/grading/followups/"


def test_it_counts_a_workers_overdue_visits_as_the_list_it_links_to(
    frozen: Any, tree: Any, worker: Any, outsider: Any
) -> None:
    from grading.selectors import followup_counts

    today = NOW.date()
    graded(tree.a1, Card.RED, next_due=today - dt.timedelta(days=1), responsible=worker)
    graded(tree.a1, Card.BLUE, next_due=today - dt.timedelta(days=3), responsible=None)  # unassigned: on "mine" too
    graded(tree.b1, Card.BLUE, next_due=today - dt.timedelta(days=3), responsible=None)  # station B's
    overdue = sum(r.count for r in inbox(worker) if r.urgent)
    assert overdue == followup_counts(worker, today=today)["overdue"] == 2
    assert sum(r.count for r in inbox(outsider) if "visits" in str(r.label)) == 1


def test_it_shows_the_lead_plans_waiting_for_approval_with_a_link_to_them(
    frozen: Any, tree: Any, worker: Any, lead: Any, outsider: Any, as_user: Any
) -> None:
    _submitted(worker, tree.a1)
    rows = inbox(lead)
    assert _labels(rows) == {"plan awaiting approval": 1}
    page = as_user(lead).get("/").content.decode()
    assert 'data-testid="todo"' in page and "/services/cases/?pending=plan" in page
    listed = as_user(lead).get("/services/cases/?pending=plan")
    assert listed.context["lst"].page.paginator.count == 1
    assert _labels(inbox(worker)) == {} and _labels(inbox(outsider)) == {}  # not the worker's to approve; not B's


def test_it_shows_the_district_its_subtree_per_station_and_not_its_own_visits(
    frozen: Any, tree: Any, worker: Any, admin: Any, outsider: Any
) -> None:
    _submitted(worker, tree.a1)
    _submitted(worker, tree.a2)
    _submitted(outsider, tree.b1)
    graded(tree.a1, Card.RED, next_due=NOW.date() - dt.timedelta(days=8))  # past the district's 7 days
    graded(tree.b1, Card.RED, next_due=NOW.date() - dt.timedelta(days=4))  # the lead's, not yet the district's
    graded(tree.b1, Card.RED, next_due=NOW.date(), responsible=admin)  # the district's own: not shown
    labels = _labels(inbox(admin))
    assert labels["plan awaiting approval@甲街道社工站"] == 2
    assert labels["plan awaiting approval@乙街道社工站"] == 1
    assert labels["Overdue follow-ups escalated to me (7 days and more)@甲街道社工站"] == 1
    assert not any(k.startswith("My ") for k in labels)
    assert not any("乙" in k and "escalated" in k for k in labels)
    station_rows = [r for r in inbox(admin) if r.station == "甲街道社工站"]
    assert all(f"unit={tree.station_a.pk}" in r.url for r in station_rows)


def test_it_escalates_to_the_lead_after_the_policys_delay(frozen: Any, tree: Any, lead: Any, outsider: Any) -> None:
    from grading.models import FollowUpPolicy

    graded(tree.a1, Card.RED, next_due=NOW.date() - dt.timedelta(days=2))
    assert _labels(inbox(lead)) == {}
    FollowUpPolicy.objects.create(district=tree.district, escalate_lead_days=2, escalate_district_days=5)
    assert _labels(inbox(lead)) == {"Overdue follow-ups escalated to me (2 days and more)": 1}
    assert _labels(inbox(outsider)) == {}


def test_it_shows_a_major_event_window_to_the_worker_by_masked_name(
    frozen: Any, tree: Any, worker: Any, lead: Any
) -> None:
    from grading.services.visits import major_event_record

    person = graded(tree.a1, Card.BLUE, next_due=NOW.date() + dt.timedelta(days=30), responsible=worker, name="王小明")
    major_event_record(actor=lead, person=person, kind="hospital", occurred_at=NOW - dt.timedelta(hours=2))
    mine = [r for r in inbox(worker) if r.urgent]
    assert len(mine) == 1 and "王**" in mine[0].label and "王小明" not in mine[0].label
    assert mine[0].url == f"/grading/person/{person.pk}/"
    assert _labels(inbox(lead))["Major events awaiting a visit"] == 1


def test_it_reminds_the_lead_of_unread_summaries_and_a_missing_supervision(
    frozen: Any, tree: Any, worker: Any, lead: Any, outsider: Any
) -> None:
    from workrecords.services import summary_create, summary_mark_read

    s = summary_create(actor=worker, unit=tree.station_a, date=NOW.date(), summary="本周", next_week_plan="下周")
    labels = _labels(inbox(lead), supervision=True)
    assert labels["Weekly summaries to read"] == 1
    assert labels["No supervision recorded in 2026-10"] == 1
    summary_mark_read(actor=lead, summary=s)
    assert "Weekly summaries to read" not in _labels(inbox(lead))
    assert "Weekly summaries to read" not in _labels(inbox(outsider))


def test_it_computes_everyones_inbox_in_the_same_queries_for_more_staff(
    frozen: Any, tree: Any, worker: Any, lead: Any, admin: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _submitted(worker, tree.a1)
    graded(tree.a1, Card.RED, next_due=NOW.date() - dt.timedelta(days=9), responsible=worker)

    def queries(n_staff: int) -> int:
        for i in range(n_staff):
            UserFactory(username=f"extra{n_staff}_{i}", role="social_worker", unit=tree.a1)
        from accounts.models import User

        readers = list(User.objects.select_related("unit"))
        with CaptureQueriesContext(connection) as ctx:
            inbox_for(readers)
        return len(ctx.captured_queries)

    few = queries(2)
    assert queries(30) == few
    assert few <= len(TODO_ITEMS) + 4  # one grouped query per kind, the tree, the policy


def test_it_tells_the_lead_and_the_district_of_kpis_falling_behind(
    frozen: Any, tree: Any, lead: Any, admin: Any, outsider: Any
) -> None:
    from decimal import Decimal

    from contracts.tests.factories import contract_for, target
    from volunteering.models import ServiceRecord
    from volunteers.tests.factories import VolunteerFactory

    vol: Any = VolunteerFactory(unit=tree.b1)
    ServiceRecord.objects.create(
        volunteer=vol, unit=tree.b1, activity_name="助老", date=dt.date(2026, 3, 1), hours=Decimal(900)
    )
    contract = contract_for([tree.station_a, tree.station_b], unit=tree.district)
    target(contract, tree.station_a, "volunteer_hours", 365)  # none recorded: behind
    target(contract, tree.station_b, "volunteer_hours", 365)  # 900 hours: ahead
    rows = [r for r in inbox(lead) if r.url == f"/contracts/{contract.pk}/"]
    assert len(rows) == 1 and rows[0].urgent and rows[0].count == 1
    district = [r for r in inbox(admin) if r.url == f"/contracts/{contract.pk}/"]
    assert [r.station for r in district] == [tree.station_a.name]
    assert not [r for r in inbox(outsider) if "contracts" in r.url]
