"""The reminder scheduler (manage.py send_reminders): every rule across week,
month and quarter ends; run twice, told once; nobody is told about a record
outside their subtree; digests at the person's time; the services' events."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from grading.models import Card
from grading.tests.factories import graded
from messaging.models import Delivery
from notifications.events import Event
from notifications.models import Digest, Notification, UserPreference
from notifications.scheduler import run_once

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 9) -> dt.datetime:
    return dt.datetime(y, m, d, h, 0, tzinfo=TZ)


def run(now: dt.datetime) -> Any:
    with time_machine.travel(now, tick=False):
        return run_once(now=now)


def told(user: Any, event: str) -> int:
    return Notification.objects.filter(user=user, event=event).count()


def test_it_reminds_the_worker_of_a_due_follow_up_once(tree: Any, worker: Any, colleague: Any) -> None:
    now = at(2026, 11, 25)
    with time_machine.travel(now, tick=False):
        graded(tree.a1, Card.RED, next_due=now.date(), responsible=worker, name="王小明")
        graded(tree.a1, Card.RED, next_due=now.date() + dt.timedelta(days=1), responsible=colleague)
    first = run(now)
    assert first.told["grading.followups"] == 1
    assert run(now).total == 0 and run(now + dt.timedelta(hours=3)).told["grading.followups"] == 0
    n = Notification.objects.get(user=worker, event=Event.FOLLOWUP_DUE)
    assert "王**" in n.subject and "王小明" not in n.subject
    assert told(colleague, Event.FOLLOWUP_DUE) == 0
    assert run(at(2026, 11, 26)).told["grading.followups"] == 1  # the colleague's, due the next day


def test_it_escalates_to_the_lead_after_3_days_and_the_district_after_7(
    tree: Any, worker: Any, lead: Any, admin: Any, supervisor: Any, outsider: Any
) -> None:
    from tests.factories import UserFactory

    lead_b = UserFactory(username="lead_b", role="station_lead", unit=tree.station_b)
    with time_machine.travel(at(2026, 11, 1), tick=False):
        graded(tree.a1, Card.RED, next_due=dt.date(2026, 11, 27), responsible=worker)
    run(at(2026, 11, 29))  # 2 days late, across the week's end
    assert told(lead, Event.FOLLOWUP_ESCALATED) == 0
    run(at(2026, 11, 30))  # 3 days
    assert told(lead, Event.FOLLOWUP_ESCALATED) == 1 and told(admin, Event.FOLLOWUP_ESCALATED) == 0
    run(at(2026, 12, 3))  # 6 days, across the month's end
    assert told(admin, Event.FOLLOWUP_ESCALATED) == 0
    run(at(2026, 12, 4))  # 7 days
    run(at(2026, 12, 5))
    assert told(admin, Event.FOLLOWUP_ESCALATED) == 1 and told(supervisor, Event.FOLLOWUP_ESCALATED) == 1
    assert told(lead, Event.FOLLOWUP_ESCALATED) == 1  # once
    assert told(lead_b, Event.FOLLOWUP_ESCALATED) == 0 and told(outsider, Event.FOLLOWUP_ESCALATED) == 0


def test_it_takes_the_escalation_delays_from_the_districts_policy(tree: Any, worker: Any, lead: Any) -> None:
    from grading.models import FollowUpPolicy

    FollowUpPolicy.objects.create(district=tree.district, escalate_lead_days=1, escalate_district_days=2)
    with time_machine.travel(at(2026, 11, 1), tick=False):
        graded(tree.a1, Card.BLUE, next_due=dt.date(2026, 11, 27), responsible=worker)
    run(at(2026, 11, 28))
    assert told(lead, Event.FOLLOWUP_ESCALATED) == 1


def test_it_tells_the_lead_when_a_major_events_window_passes_without_a_visit(
    tree: Any, worker: Any, lead: Any, outsider: Any
) -> None:
    from grading.services.visits import major_event_record

    with time_machine.travel(at(2026, 11, 25, 8), tick=False):
        person = graded(tree.a1, Card.BLUE, next_due=dt.date(2026, 12, 20), responsible=worker)
        major_event_record(actor=lead, person=person, kind="hospital", occurred_at=at(2026, 11, 25, 7))
    assert told(worker, Event.MAJOR_EVENT) == 1  # at once, by the service
    run(at(2026, 11, 25, 20))
    assert told(worker, Event.MAJOR_EVENT) == 1 and told(lead, Event.FOLLOWUP_ESCALATED) == 0
    run(at(2026, 11, 26, 8))  # 25 hours on
    assert told(lead, Event.FOLLOWUP_ESCALATED) == 1 and told(outsider, Event.FOLLOWUP_ESCALATED) == 0


def test_it_asks_for_the_weekly_summary_from_friday_once_a_week(tree: Any, worker: Any, lead: Any) -> None:
    from workrecords.services import summary_create

    run(at(2026, 11, 26))  # Thursday
    assert told(lead, Event.SUMMARY_MISSING) == 0
    run(at(2026, 11, 27))  # Friday
    run(at(2026, 11, 29, 20))  # Sunday
    assert told(lead, Event.SUMMARY_MISSING) == 1
    with time_machine.travel(at(2026, 12, 4), tick=False):
        summary_create(actor=worker, unit=tree.a1, date=dt.date(2026, 12, 4), summary="本周", next_week_plan="下周")
    run(at(2026, 12, 4))  # the next Friday, with a community's summary: the station has one
    assert told(lead, Event.SUMMARY_MISSING) == 1
    assert told(lead, Event.SUMMARY_SENT) == 1  # the summary itself, 抄送


def test_it_asks_for_the_monthly_supervision_and_tells_the_district_after_the_month(
    tree: Any, lead: Any, admin: Any
) -> None:
    from workrecords.models import Supervision

    Supervision.objects.create(unit=tree.station_b, date=dt.date(2026, 11, 3), supervisor="督导", topics="个案")
    Supervision.objects.create(unit=tree.station_b, date=dt.date(2026, 10, 3), supervisor="督导", topics="个案")
    Supervision.objects.create(unit=tree.station_a, date=dt.date(2026, 10, 3), supervisor="督导", topics="个案")
    run(at(2026, 11, 24))
    assert told(lead, Event.SUPERVISION_MISSING) == 0
    run(at(2026, 11, 25))
    run(at(2026, 11, 30))
    assert told(lead, Event.SUPERVISION_MISSING) == 1
    assert told(admin, Event.SUPERVISION_MISSING) == 0  # October was held everywhere
    run(at(2026, 12, 1))  # November is over: A had none
    assert told(admin, Event.SUPERVISION_MISSING) == 1
    n = Notification.objects.get(user=admin, event=Event.SUPERVISION_MISSING)
    assert n.subject == tree.station_a.name


def test_it_asks_for_the_quarterly_joint_meeting_in_the_quarters_last_month(tree: Any, lead: Any) -> None:
    from workrecords.models import JointMeeting

    JointMeeting.objects.create(unit=tree.station_a, date=dt.date(2026, 9, 20), participants="街道", topics="年度")
    run(at(2026, 9, 25))  # Q3 held
    run(at(2026, 11, 30))  # not the quarter's last month
    run(at(2026, 12, 14))
    assert told(lead, Event.JOINT_MEETING) == 0
    run(at(2026, 12, 15))
    run(at(2026, 12, 31))
    assert told(lead, Event.JOINT_MEETING) == 1
    run(at(2027, 3, 15))  # the next quarter asks again
    assert told(lead, Event.JOINT_MEETING) == 2


def test_it_sends_the_daily_digest_at_the_persons_time_once(tree: Any, worker: Any) -> None:
    worker.email = "worker@example.org"
    worker.save()
    UserPreference.objects.create(user=worker, channels=["email"], digest_at=dt.time(18))
    with time_machine.travel(at(2026, 11, 1), tick=False):
        graded(tree.a1, Card.RED, next_due=dt.date(2026, 11, 24), responsible=worker)
    run(at(2026, 11, 25, 17))
    assert not Digest.objects.exists()
    assert not Delivery.objects.filter(user=worker).exists()  # the reminder waits for the digest
    run(at(2026, 11, 25, 18))
    run(at(2026, 11, 25, 21))
    assert Digest.objects.get(user=worker).items >= 2
    assert Delivery.objects.filter(user=worker, template="notify.digest").count() == 1
    run(at(2026, 11, 26, 18))
    assert Delivery.objects.filter(user=worker, template="notify.digest").count() == 2


def test_it_holds_what_leaves_the_system_until_quiet_hours_end(tree: Any, worker: Any) -> None:
    worker.email = "worker@example.org"
    worker.save()
    UserPreference.objects.create(user=worker, channels=["email"], quiet_from=dt.time(21), quiet_until=dt.time(8))
    with time_machine.travel(at(2026, 11, 1), tick=False):
        graded(tree.a1, Card.RED, next_due=dt.date(2026, 11, 25), responsible=worker)
    run(at(2026, 11, 25, 6))
    assert told(worker, Event.FOLLOWUP_DUE) == 1 and not Delivery.objects.exists()
    assert run(at(2026, 11, 25, 8)).sent == 1
    assert Delivery.objects.filter(user=worker).count() == 1


def test_it_runs_from_the_command_line(tree: Any, worker: Any) -> None:
    with time_machine.travel(at(2026, 11, 1), tick=False):
        graded(tree.a1, Card.RED, next_due=dt.date(2026, 11, 25), responsible=worker)
    out = StringIO()
    call_command("send_reminders", "--at", "2026-11-25T09:00:00+08:00", stdout=out)
    assert "grading.followups: 1" in out.getvalue()
    out = StringIO()
    call_command("send_reminders", "--at", "2026-11-25T09:00:00+08:00", stdout=out)
    assert "grading.followups: 0" in out.getvalue()


def test_it_tells_the_lead_of_a_submitted_plan_and_the_worker_of_the_decision(
    tree: Any, worker: Any, lead: Any, outsider: Any
) -> None:
    from casework.services import case_goal_add, case_move, case_service_plan
    from casework.tests.factories import open_case

    case = open_case(worker, unit=tree.a1)
    case_move(actor=worker, case=case, action="assess")
    case_move(actor=worker, case=case, action="draft_plan")
    case_goal_add(actor=worker, case=case, text="每周外出社交一次")
    case_move(actor=worker, case=case, action="submit_plan")
    n = Notification.objects.get(user=lead, event=Event.PLAN_SUBMITTED)
    assert n.link == f"/services/cases/{case.pk}/" and case.number in n.subject
    assert case.person.name not in n.subject
    case_move(actor=lead, case=case, action="return_plan", comment="补充目标")
    assert told(worker, Event.PLAN_RETURNED) == 1
    case_service_plan(actor=worker, case=case, description="每周电话关怀", frequency="每周")
    case_move(actor=worker, case=case, action="submit_plan")
    assert told(lead, Event.PLAN_SUBMITTED) == 2  # submitted again: news again
    case_move(actor=lead, case=case, action="approve_plan")
    assert told(worker, Event.PLAN_APPROVED) == 1
    assert not Notification.objects.filter(user=outsider).exists()


def test_it_tells_a_worker_of_a_case_or_recipient_handed_to_them(
    tree: Any, worker: Any, colleague: Any, lead: Any
) -> None:
    from casework.services import case_transfer
    from casework.tests.factories import open_case
    from grading.services.assignment import grade_assign

    case = open_case(worker, unit=tree.a1)
    assert told(worker, Event.CASE_ASSIGNED) == 0  # one's own case
    case_transfer(actor=worker, case=case, to_worker=colleague, reason="休假")
    assert told(colleague, Event.CASE_ASSIGNED) == 1
    person = graded(tree.a1, Card.BLUE, next_due=dt.date(2026, 12, 20))
    grade_assign(actor=lead, person=person, responsible=colleague)
    assert told(colleague, Event.RECIPIENT_ASSIGNED) == 1


def test_it_tells_the_requester_when_a_report_is_ready(
    tree: Any, lead: Any, worker: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from reports import services

    with time_machine.travel(at(2026, 11, 25)), django_capture_on_commit_callbacks(execute=True):
        job = services.report_request(
            actor=lead, unit=tree.station_a, period_kind="month", day=dt.date(2026, 10, 1), fmt="xlsx"
        )
    n = Notification.objects.get(user=lead, event=Event.REPORT_READY)
    assert n.link == f"/reports/jobs/{job.pk}/"
    assert told(worker, Event.REPORT_READY) == 0
