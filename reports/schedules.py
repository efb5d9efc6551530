"""Scheduled reports: the district says who receives which report, and
`reports_send_due(now=...)` (called by `manage.py send_reminders` and the
worker's periodic task) makes each due report once and sends it.

A schedule's period is due on its `send_day` of the month after the period
ends: a monthly report for November on 3 December, a quarterly one for
Q3 on 3 October, an annual one on 3 January. The scheduler takes the latest
period whose day has come (never one due before the schedule existed),
makes one `ReportRun` for it (unique per schedule and period) with a report
job built by the existing report code, and once the file is built sends
each recipient one message through `messaging` (the file attached by
e-mail, a link for staff), once per (schedule, period, recipient).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import Action
from audit.services import audit_record
from contracts.progress import Period, period_for
from core.access import Perm, require, require_unit_in_scope, scope
from core.roles import Level
from messaging.api import Recipient, message_send, message_template
from messaging.backends import mask_email
from reports.models import JobStatus, PeriodKind, ReportFormat, ReportJob
from reports.schedule_models import ReportRecipient, ReportRun, ReportSchedule, ReportSend

if TYPE_CHECKING:
    from accounts.models import User
    from orgs.models import OrgUnit

TEMPLATE = "reports.scheduled"
message_template(
    TEMPLATE,
    subject=gettext_lazy("Linli report: {report}, {period}"),
    body=gettext_lazy("The {period} report of {unit} ({report}) is attached.\n{link}"),
    params=("report", "unit", "period"),
)


# ---------------------------------------------------------------- due dates


def due_on(period: Period, send_day: int) -> dt.date:
    """The day a period's report goes out: `send_day` of the month after it."""
    after = period.end + dt.timedelta(days=1)
    return after.replace(day=min(send_day, 28))


def due_period(schedule: ReportSchedule, today: dt.date) -> Period | None:
    """The latest period of the schedule whose sending day has come and that
    fell due after the schedule was set up (a new schedule sends no backlog)."""
    current = period_for(schedule.period_kind, today)
    previous = period_for(schedule.period_kind, current.start - dt.timedelta(days=1))
    before = period_for(schedule.period_kind, previous.start - dt.timedelta(days=1))
    set_up = timezone.localdate(schedule.created_at)
    for period in (previous, before):
        due = due_on(period, schedule.send_day)
        if due <= today:
            return period if due >= set_up else None
    return None


# ---------------------------------------------------------------- sending


def reports_send_due(*, now: dt.datetime) -> int:
    """Make every due scheduled report once (its building and sending happen
    in the background). Returns how many runs it started. Running it again
    starts nothing more; a run whose report failed to build is tried again."""
    today = timezone.localdate(now)
    started = 0
    for schedule in ReportSchedule.objects.filter(active=True).select_related("unit"):
        period = due_period(schedule, today)
        if period is None:
            continue
        run = ReportRun.objects.filter(schedule=schedule, period_start=period.start).select_related("job").first()
        if run is not None and (run.job is None or run.job.status != JobStatus.FAILED):
            continue
        with transaction.atomic():
            job = ReportJob.objects.create(
                unit=schedule.unit,
                period_kind=schedule.period_kind,
                period_start=period.start,
                period_end=period.end,
                fmt=schedule.fmt,
            )
            if run is None:
                try:
                    with transaction.atomic():
                        run = ReportRun.objects.create(
                            schedule=schedule, period_start=period.start, period_end=period.end, job=job
                        )
                except IntegrityError:  # another scheduler started it this moment
                    job.delete()
                    continue
            else:
                ReportRun.objects.filter(pk=run.pk).update(job=job)
            transaction.on_commit(partial(_start, run.pk))
        started += 1
    return started


def _start(run_id: int) -> None:
    from reports.tasks import scheduled_report_send

    scheduled_report_send(run_id)


def run_build_and_send(run_id: int) -> int:
    """Build the run's report (the existing report code) and send it to each
    recipient not yet sent to. Returns the number of messages queued."""
    from reports.services import report_build

    run = ReportRun.objects.select_related("schedule__unit", "job").get(pk=run_id)
    if run.job is None:
        return 0
    job = run.job
    if job.status != JobStatus.DONE:
        job = report_build(job.pk, settings.LANGUAGE_CODE)
    return run_send(run, job)


def run_send(run: ReportRun, job: ReportJob) -> int:
    schedule = run.schedule
    period = period_for(schedule.period_kind, run.period_start)
    params = {"report": schedule.name, "unit": schedule.unit.name, "period": period.label}
    done = set(ReportSend.objects.filter(run=run).values_list("recipient_id", flat=True))
    sent = 0
    for recipient in schedule.recipients.select_related("user__unit").order_by("pk"):
        if recipient.pk in done:
            continue
        to = (
            Recipient(user=recipient.user) if recipient.user else Recipient(address=recipient.email, unit=schedule.unit)
        )
        link = reverse("reports:job_detail", args=[job.pk]) if recipient.user else ""
        with transaction.atomic():
            delivery = message_send(
                channel="email",
                to=to,
                template=TEMPLATE,
                params=params,
                event="report_scheduled",
                dedupe_key=f"report:{schedule.pk}:{run.period_start:%Y%m%d}:{recipient.pk}",
                link=link,
                attachment=job.file,
            )
            ReportSend.objects.get_or_create(
                run=run,
                recipient=recipient,
                defaults={"unit": schedule.unit, "who": _who(recipient), "delivery": delivery},
            )
        sent += 1
    return sent


def _who(recipient: ReportRecipient) -> str:
    if recipient.user is not None:
        shown = str(recipient.user)
    else:
        shown = mask_email(recipient.email)
    return " · ".join(p for p in (recipient.label, shown) if p)[:120]


# ---------------------------------------------------------------- the district sets them


def schedules_visible(user: Any) -> Any:
    return scope(ReportSchedule.objects.select_related("unit").prefetch_related("recipients__user"), user)


def sends_visible(user: Any) -> Any:
    return scope(ReportSend.objects.select_related("run__schedule", "delivery"), user)


def _parse_emails(text: str) -> list[tuple[str, str]]:
    """Lines of `label <address>` or a bare address."""
    from django.core.validators import validate_email

    found = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        label, _sep, rest = line.rpartition("<")
        address = rest.rstrip(">").strip() if _sep else line
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationError({"emails": _("%(line)s is not an e-mail address.") % {"line": line}}) from None
        found.append((label.strip()[:60], address))
    return found


@transaction.atomic
def report_schedule_save(
    *,
    actor: User,
    schedule: ReportSchedule | None = None,
    unit: OrgUnit,
    name: str,
    period_kind: str,
    fmt: str,
    send_day: int,
    active: bool,
    users: Iterable[User] = (),
    emails: str = "",
) -> ReportSchedule:
    """Create or change a schedule and replace its recipients."""
    from accounts.selectors import staff_visible

    require(actor, Perm.CONFIG_MANAGE)
    require_unit_in_scope(actor, unit)
    if unit.level == Level.COMMUNITY:
        raise ValidationError({"unit": _("Reports are made for a station or the district centre.")})
    if period_kind not in PeriodKind.values:
        raise ValidationError({"period_kind": _("Choose monthly, quarterly or annual.")})
    if fmt not in ReportFormat.values:
        raise ValidationError({"fmt": _("Choose xlsx or PDF.")})
    if not 1 <= send_day <= 28:
        raise ValidationError({"send_day": _("Choose a day from 1 to 28.")})
    users = list(users)
    visible = set(staff_visible(actor).filter(pk__in=[u.pk for u in users]).values_list("pk", flat=True))
    if len(visible) != len(users):
        raise ValidationError({"users": _("Choose staff in your scope.")})
    addresses = _parse_emails(emails)
    if not users and not addresses:
        raise ValidationError({"emails": _("Name at least one recipient.")})
    fields = {"unit": unit, "name": name.strip(), "period_kind": period_kind, "fmt": fmt, "send_day": send_day}
    created = schedule is None
    if schedule is None:
        schedule = ReportSchedule.objects.create(**fields, active=active, created_by=actor)
    else:
        require_unit_in_scope(actor, schedule.unit)
        for key, value in {**fields, "active": active}.items():
            setattr(schedule, key, value)
        schedule.save()
    wanted = {(u.pk, "", "") for u in users} | {(None, address, label) for label, address in addresses}
    kept = {
        (r.user_id, r.email if r.user_id is None else "", r.label if r.user_id is None else ""): r.pk
        for r in schedule.recipients.all()
    }
    schedule.recipients.filter(pk__in=[pk for key, pk in kept.items() if key not in wanted]).delete()
    ReportRecipient.objects.bulk_create(
        [
            ReportRecipient(schedule=schedule, user_id=uid, email=email, label=label)
            for uid, email, label in wanted - set(kept)
        ]
    )
    audit_record(
        actor=actor,
        action=Action.REPORT_SCHEDULE_CREATE if created else Action.REPORT_SCHEDULE_UPDATE,
        target=schedule,
        unit=unit,
        changes={
            **{k: str(v) for k, v in fields.items()},
            "active": active,
            "recipients": len(users) + len(addresses),
        },
    )
    return schedule
