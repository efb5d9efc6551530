"""A project's figures counted by hand, across the ends of its period (an
activity at 23:30 on the last day counts, one at 00:30 the next day does not)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from casework.models import Activity, Group
from casework.services import (
    activity_complete,
    activity_create,
    activity_signup_add,
    group_attendance_set,
    group_create,
    group_member_add,
    group_session_add,
)
from casework.tests.factories import domain
from matching.models import ServiceTask
from matching.services import task_complete
from matching.tests.factories import task_for
from partners.services import entry_create
from people.tests.factories import HouseholdFactory, PersonFactory
from projects import figures, services
from projects.tests.factories import line_for, project_for
from tests import uploads

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 15, 10, 0, tzinfo=SH)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield


def _held(actor, unit, project, start, persons=(), heads=0, title="四点半课堂"):
    a = activity_create(
        actor=actor,
        unit=unit,
        title=title,
        domain=domain("children"),
        venue="社区活动室",
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=50),
        organiser="甲站",
    )
    Activity.objects.filter(pk=a.pk).update(project=project)
    signups = [activity_signup_add(actor=actor, activity=a, person=p).pk for p in persons]
    activity_complete(actor=actor, activity=a, attended_signup_ids=signups, head_count=heads, summary="好")
    return a


def test_it_counts_a_project_by_hand_across_its_period_end(now, tree, lead, worker):
    project = project_for(lead, tree.station_a, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 11, 30))
    family = HouseholdFactory(unit=tree.a1)
    p1, p2 = PersonFactory(unit=tree.a1, household=family), PersonFactory(unit=tree.a1, household=family)
    p3, p4 = PersonFactory(unit=tree.a2, household=None), PersonFactory(unit=tree.a1, household=None)
    # the last evening of the project: 2 named of one household + 5 unnamed = 7
    _held(worker, tree.station_a, project, dt.datetime(2026, 11, 30, 23, 30, tzinfo=SH), [p1, p2], heads=5)
    # half an hour after its end: not in the project's period
    _held(worker, tree.station_a, project, dt.datetime(2026, 12, 1, 0, 30, tzinfo=SH), [p3], heads=100)
    # planned only: never counts
    planned = activity_create(
        actor=worker,
        unit=tree.station_a,
        title="未开展",
        domain=domain("children"),
        venue="x",
        starts_at=dt.datetime(2026, 6, 1, 9, tzinfo=SH),
        ends_at=dt.datetime(2026, 6, 1, 10, tzinfo=SH),
        organiser="甲站",
    )
    Activity.objects.filter(pk=planned.pk).update(project=project)
    # a group: p3 on the last day (1) and on the day after (not counted)
    group = group_create(
        actor=worker,
        unit=tree.station_a,
        name="亲子小组",
        domain=domain("children"),
        goals="g",
        start_on=dt.date(2026, 11, 1),
    )
    Group.objects.filter(pk=group.pk).update(project=project)
    member = group_member_add(actor=worker, group=group, person=p3)
    for day in (dt.date(2026, 11, 30), dt.date(2026, 12, 1)):
        session = group_session_add(actor=worker, group=group, date=day, topic="t")
        group_attendance_set(actor=worker, session=session, member_ids=[member.pk])
    # a service task for p4 completed on the last day (1), filed under the project on completion
    task = task_for(tree.a1)
    task.need.person = p4
    task.need.save()
    task_complete(
        actor=worker, task=task, satisfaction=5, hours=Decimal(1), completed_on=dt.date(2026, 11, 30), project=project
    )
    # money: received on the last day counts; given out or received the day after does not
    for direction, day, value in (("in", 30, 300), ("out", 30, 200)):
        entry_create(
            actor=worker,
            unit=tree.station_a,
            direction=direction,
            kind="money",
            date=dt.date(2026, 11, day),
            donor="爱心企业",
            recipient="困难家庭",
            purpose="乐童",
            value=Decimal(value),
            project=project,
        )
    entry_create(
        actor=worker,
        unit=tree.station_a,
        direction="in",
        kind="money",
        date=dt.date(2026, 12, 1),
        donor="爱心企业",
        purpose="乐童",
        value=Decimal(999),
        project=project,
    )
    line = line_for(lead, project, 1000)
    for amount, approve in ((50, True), (20, None)):
        e = services.expenditure_record(
            actor=worker,
            project=project,
            line=line,
            spent_on=dt.date(2026, 11, 30),
            amount=Decimal(amount),
            payee="店",
            purpose="物料",
            receipt=uploads.pdf(),
        )
        if approve:
            services.expenditure_decide(actor=lead, expenditure=e, approve=True)

    start, end = figures.period_of(project)
    assert (start, end) == (dt.date(2026, 1, 1), dt.date(2026, 11, 30))
    f = figures.figures(project, start, end)
    assert f.breakdown == {"activities": 7, "groups": 1, "tasks": 1}
    assert f.person_times == 9 and f.activities == 1
    assert f.households == 3  # p1 and p2 one household; p3 and p4 without a file count once each
    assert f.raised == Decimal(300) and f.spent == Decimal(50)
    money = figures.money(project)
    assert (money.budget, money.spent, money.pending, money.committed) == (1000, 50, 20, 70)
    # the days after the period, counted on their own
    after = figures.figures(project, dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert after.person_times == 101 + 1 and after.activities == 1 and after.raised == Decimal(999)
    trend = figures.trend(project, start, end)
    assert trend["months"][-1] == "2026-11" and trend["person_times"][-1] == 9 and trend["raised"][-1] == 300.0
    assert sum(trend["person_times"]) == 9 and trend["spent"][-1] == 50.0
    assert ServiceTask.objects.get(pk=task.pk).project == project


def test_a_running_project_counts_up_to_today(now, tree, lead):
    project = project_for(lead, tree.station_a, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2027, 6, 30))
    assert figures.period_of(project) == (dt.date(2026, 1, 1), dt.date(2026, 12, 15))
    future = project_for(lead, tree.station_a, name="明年", starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 6, 30))
    assert figures.period_of(future) == (dt.date(2027, 1, 1), dt.date(2027, 1, 1))


def test_records_are_filed_only_under_a_project_of_their_unit(now, tree, lead, outsider, admin):
    project = project_for(lead, tree.station_a)
    with pytest.raises(ValidationError) as err:  # not a project of the outsider's station
        entry_create(
            actor=outsider,
            unit=tree.station_b,
            direction="in",
            kind="money",
            date=dt.date(2026, 12, 1),
            donor="x",
            purpose="x",
            value=Decimal(1),
            project=project,
        )
    assert "project" in err.value.message_dict
    with pytest.raises(ValidationError) as err:  # the district may see both, but B's entry is not A's project's
        entry_create(
            actor=admin,
            unit=tree.b1,
            direction="in",
            kind="money",
            date=dt.date(2026, 12, 1),
            donor="x",
            purpose="x",
            value=Decimal(1),
            project=project,
        )
    assert "project" in err.value.message_dict
    # a community's entry belongs to its station's project
    entry = entry_create(
        actor=admin,
        unit=tree.a1,
        direction="in",
        kind="money",
        date=dt.date(2026, 12, 1),
        donor="x",
        purpose="x",
        value=Decimal(1),
        project=project,
    )
    assert entry.project == project
