"""Scheduled reports: due dates across month, quarter and year ends, one
report and one message per (schedule, period, recipient), the file by
e-mail, and the district's pages."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from contracts.progress import period_for
from messaging.models import Delivery, Status
from reports.models import ReportJob
from reports.schedule_models import ReportRun, ReportSchedule, ReportSend
from reports.schedules import due_period, report_schedule_save, reports_send_due

pytestmark = pytest.mark.django_db
CN = ZoneInfo("Asia/Shanghai")


def _at(y: int, m: int, d: int, h: int = 9) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=CN)


def _schedule(admin: Any, unit: Any, kind: str = "month", send_day: int = 3, **kw: Any) -> ReportSchedule:
    return report_schedule_save(
        actor=admin,
        unit=unit,
        name=kw.pop("name", "甲站月报"),
        period_kind=kind,
        fmt="xlsx",
        send_day=send_day,
        active=True,
        users=kw.pop("users", []),
        emails=kw.pop("emails", "街道办联系人 <contact@street.example>"),
    )


@pytest.mark.parametrize(
    ("kind", "today", "expected"),
    [
        (
            "month",
            dt.date(2026, 12, 2),
            dt.date(2026, 10, 1),
        ),  # November's goes on the 3rd: October's is the latest due
        ("month", dt.date(2026, 12, 3), dt.date(2026, 11, 1)),
        ("month", dt.date(2026, 12, 31), dt.date(2026, 11, 1)),
        ("month", dt.date(2027, 1, 2), dt.date(2026, 11, 1)),  # December's not yet: November's is the latest due
        ("month", dt.date(2027, 1, 3), dt.date(2026, 12, 1)),  # across the year end
        ("month", dt.date(2027, 3, 3), dt.date(2027, 2, 1)),  # February's 28 days
        ("quarter", dt.date(2027, 1, 2), dt.date(2026, 7, 1)),
        ("quarter", dt.date(2027, 1, 3), dt.date(2026, 10, 1)),  # Q4 on 3 January
        ("quarter", dt.date(2027, 3, 31), dt.date(2026, 10, 1)),
        ("quarter", dt.date(2027, 4, 3), dt.date(2027, 1, 1)),
        ("year", dt.date(2027, 1, 3), dt.date(2026, 1, 1)),
    ],
)
def test_it_finds_the_period_due_across_month_quarter_and_year_ends(
    admin: Any, tree: Any, time_machine: Any, kind: str, today: dt.date, expected: dt.date | None
) -> None:
    time_machine.move_to(_at(2026, 9, 1), tick=False)  # set up long before
    schedule = _schedule(admin, tree.station_a, kind)
    period = due_period(schedule, today)
    assert (period.start if period else None) == expected


def test_it_sends_no_backlog_for_a_new_schedule(admin: Any, tree: Any, time_machine: Any) -> None:
    time_machine.move_to(_at(2026, 12, 10), tick=False)
    schedule = _schedule(admin, tree.station_a)
    assert due_period(schedule, dt.date(2026, 12, 10)) is None  # November's day was before it existed
    assert due_period(schedule, dt.date(2027, 1, 3)).start == dt.date(2026, 12, 1)  # type: ignore[union-attr]


def test_it_makes_and_sends_each_due_report_once_per_recipient(
    admin: Any, lead: Any, tree: Any, time_machine: Any, django_capture_on_commit_callbacks: Any
) -> None:
    lead.email = "lead@linli.example"
    lead.save()
    time_machine.move_to(_at(2026, 10, 20), tick=False)
    _schedule(admin, tree.station_a, users=[lead])
    time_machine.move_to(_at(2026, 11, 2), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_send_due(now=_at(2026, 11, 2)) == 0
    time_machine.move_to(_at(2026, 11, 3), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_send_due(now=_at(2026, 11, 3)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_send_due(now=_at(2026, 11, 3, 15)) == 0  # run again: nothing more
    run = ReportRun.objects.get()
    assert run.period_start == dt.date(2026, 10, 1) and run.job is not None
    assert ReportJob.objects.count() == 1 and run.job.status == "done"
    assert sorted(m.to[0] for m in mail.outbox) == ["contact@street.example", "lead@linli.example"]
    for message in mail.outbox:
        assert "甲站月报" in message.subject and "2026-10" in message.subject
        [(filename, content, _mime)] = message.attachments
        assert filename.endswith(".xlsx") and content[:2] == b"PK"
    to_lead = next(m for m in mail.outbox if m.to == ["lead@linli.example"])
    assert reverse("reports:job_detail", args=[run.job.pk]) in to_lead.body
    assert set(ReportSend.objects.values_list("who", flat=True)) == {"街道办联系人 · c***@street.example", str(lead)}
    assert Delivery.objects.filter(status=Status.SENT, unit=tree.station_a).count() == 2  # the district sees both
    # The next month's on its day, across the quarter end.
    time_machine.move_to(_at(2026, 12, 3), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_send_due(now=_at(2026, 12, 3)) == 1
    assert ReportRun.objects.count() == 2 and len(mail.outbox) == 4


def test_it_tries_a_failed_report_again_on_the_next_run(
    admin: Any, tree: Any, time_machine: Any, django_capture_on_commit_callbacks: Any
) -> None:
    time_machine.move_to(_at(2026, 10, 20), tick=False)
    _schedule(admin, tree.station_a)
    time_machine.move_to(_at(2026, 11, 3), tick=False)
    reports_send_due(now=_at(2026, 11, 3))  # callbacks not run: the job stays queued
    ReportJob.objects.update(status="failed")
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_send_due(now=_at(2026, 11, 3, 12)) == 1
    assert ReportJob.objects.count() == 2 and ReportRun.objects.get().job.status == "done"  # type: ignore[union-attr]
    assert len(mail.outbox) == 1


def test_it_refuses_a_schedule_outside_scope_or_without_recipients(
    admin: Any, lead: Any, outsider: Any, tree: Any
) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        _schedule(lead, tree.station_a)  # only the district sets them
    with pytest.raises(ValidationError):
        _schedule(admin, tree.station_a, emails="")
    with pytest.raises(ValidationError):
        _schedule(admin, tree.a1)  # a community makes no report
    with pytest.raises(ValidationError):
        _schedule(admin, tree.station_a, emails="not an address")
    assert not ReportSchedule.objects.exists()


def test_it_sets_schedules_on_a_page_and_lists_what_was_sent(
    as_user: Any, admin: Any, lead: Any, tree: Any, time_machine: Any, django_capture_on_commit_callbacks: Any
) -> None:
    time_machine.move_to(_at(2026, 12, 20), tick=False)
    client = as_user(admin)
    page = client.get(reverse("reports:schedule_create"))
    assert page.status_code == 200
    data = {
        "name": "区季度汇总",
        "unit": tree.district.pk,
        "period_kind": "quarter",
        "fmt": "xlsx",
        "send_day": 3,
        "emails": "民政局联系人 <mzj@gov.example>",
        "active": "on",
    }
    assert client.post(reverse("reports:schedule_create"), data).status_code == 302
    schedule = ReportSchedule.objects.get()
    assert schedule.recipients.get().label == "民政局联系人"
    listing = client.get(reverse("reports:schedule_list")).content.decode()
    assert "区季度汇总" in listing and "民政局联系人" in listing
    time_machine.move_to(_at(2027, 1, 3), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        reports_send_due(now=_at(2027, 1, 3))
    client = as_user(admin)
    assert ReportRun.objects.get().period_start == period_for("quarter", dt.date(2026, 10, 1)).start
    sent = client.get(reverse("reports:schedule_sends")).content.decode()
    assert "区季度汇总" in sent and "民政局联系人 · m***@gov.example" in sent
    assert as_user(lead).get(reverse("reports:schedule_list")).status_code == 403
    assert as_user(lead).get(reverse("reports:schedule_edit", args=[schedule.pk])).status_code == 403
