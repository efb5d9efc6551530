"""What a registered volunteer does through the portal: sign up for an
activity, sign in at it by its QR code, report the hours served; and staff's
decision on the hours (a pending service record until they confirm it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from casework.models import Activity, ActivitySignup
from casework.services.activities import activity_signup_self
from casework.services.signin import SignedIn, activity_signin
from core.access import Perm, require, require_unit_in_scope
from core.concurrency import lock
from matching.models import ServiceTask, TaskStatus
from participation import conf
from participation.models import Decision, HoursReport
from volunteering import services as volunteering
from volunteering.models import ServiceRecord

ACTIVITY = "casework.activity"
TASK = "matching.task"


def _volunteer(account: Any) -> Any:
    if account.volunteer_id is None or not account.volunteer.is_active:
        raise ValidationError({"__all__": _("Only a registered volunteer can do this.")})
    return account.volunteer


def signup(*, account: Any, activity: Activity) -> ActivitySignup:
    """Sign the account's volunteer up for an open activity of their station."""
    volunteer = _volunteer(account)
    if activity.unit.station.pk != volunteer.unit.station.pk:
        raise ValidationError({"__all__": _("This activity is no longer open for sign-up.")})
    return activity_signup_self(activity=activity, volunteer=volunteer, via=conf.via(account))


def signin(*, account: Any, activity: Activity, once: str | None = None) -> SignedIn:
    """The QR sign-in of a volunteer known by their portal account: the same
    service as the public page, with the volunteer's registered phone, so they
    type nothing (the caller has opened the activity's signed link)."""
    volunteer = _volunteer(account)
    return activity_signin(activity=activity, phone=volunteer.phone, as_volunteer=True, once=once)


def _source(activity: Activity | None, task: ServiceTask | None) -> tuple[str, str, str, dt.date, str]:
    """(source type, id, activity name, date, place) of what the hours are for."""
    if activity is not None:
        return ACTIVITY, str(activity.pk), activity.title, timezone.localtime(activity.starts_at).date(), activity.venue
    assert task is not None
    return TASK, str(task.pk), str(task.need), task.due_date, ""


@transaction.atomic
def hours_report(
    *,
    account: Any,
    hours: Any,
    activity: Activity | None = None,
    task: ServiceTask | None = None,
    date: dt.date | None = None,
) -> HoursReport:
    """The volunteer reports the hours they served at an activity they signed
    up for (or a service task of theirs): a pending service record (the one
    their QR sign-in proposed, if any) that counts once staff confirm it."""
    volunteer = _volunteer(account)
    if (activity is None) == (task is None):
        raise ValidationError({"__all__": _("Choose the activity or the task.")})
    if activity is not None:
        if not ActivitySignup.objects.filter(activity=activity, volunteer=volunteer).exists():
            raise ValidationError({"__all__": _("You can report hours only for an activity you signed up for.")})
        if activity.starts_at > timezone.now():
            raise ValidationError({"__all__": _("The activity has not started yet.")})
    elif task is not None and (task.volunteer_id != volunteer.pk or task.status == TaskStatus.CANCELLED):
        raise ValidationError({"__all__": _("Choose one of your service tasks.")})
    source_type, source_id, name, day, place = _source(activity, task)
    if date is not None and task is not None:
        day = date
    records = ServiceRecord.objects.filter(volunteer=volunteer, source_type=source_type, source_id=source_id)
    if records.filter(pending=False).exists():
        raise ValidationError({"__all__": _("These hours are already on your record.")})
    if HoursReport.objects.filter(volunteer=volunteer, record__in=records, status=Decision.PENDING).exists():
        raise ValidationError({"__all__": _("Your hours for this are already waiting for the station's confirmation.")})
    record = records.filter(pending=True).first()
    try:
        value = Decimal(str(hours)).quantize(Decimal("0.1"))
    except ArithmeticError:
        value = Decimal(0)
    if not Decimal(0) < value <= Decimal(24):
        raise ValidationError({"hours": _("Between 0.1 and 24 hours.")})
    if record is None:
        record = volunteering.service_record_propose(
            volunteer=volunteer,
            activity_name=name,
            date=day,
            place=place,
            hours=value,
            organiser=activity.organiser if activity is not None else "",
            person_in_charge=str(activity.person_in_charge) if activity is not None else "",
            source_type=source_type,
            source_id=source_id,
            via=conf.via(account),
        )
    report = HoursReport.objects.create(
        unit=volunteer.unit,
        account=account,
        volunteer=volunteer,
        record=record,
        activity_name=record.activity_name,
        date=record.date,
        hours=value,
    )
    audit_record(
        actor=None,
        actor_label=conf.via(account),
        action=Action.PARTICIPATION_HOURS_REPORT,
        target=report,
        changes={"hours": [None, str(value)]},
    )
    return report


@transaction.atomic
def hours_accept(*, actor: Any, report: HoursReport, hours: Any = None) -> HoursReport:
    """Staff confirm the reported hours (corrected if they say so) into the
    volunteer's service record: from now on they count."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, report.unit)
    lock(report)
    if report.status != Decision.PENDING or report.record is None:
        raise ValidationError({"__all__": _("This was already decided by a colleague.")})
    chosen = report.hours if hours in (None, "") else hours
    volunteering.service_record_confirm(actor=actor, record=report.record, hours=chosen)
    report.status, report.decided_by, report.decided_at = Decision.ACCEPTED, actor, timezone.now()
    report.save(update_fields=["status", "decided_by", "decided_at"])
    return report


@transaction.atomic
def hours_decline(*, actor: Any, report: HoursReport, reason: str) -> HoursReport:
    """Staff decline the hours: the pending record goes, the report keeps why."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, report.unit)
    lock(report)
    if report.status != Decision.PENDING:
        raise ValidationError({"__all__": _("This was already decided by a colleague.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why, for the volunteer.")})
    if report.record is not None:
        volunteering.service_record_discard(actor=actor, record=report.record, reason=reason)
    report.status, report.decided_by, report.decided_at = Decision.DECLINED, actor, timezone.now()
    report.reason = reason.strip()[:200]
    report.record = None
    report.save(update_fields=["status", "decided_by", "decided_at", "reason", "record"])
    audit_record(actor=actor, action=Action.PARTICIPATION_HOURS_DECLINE, target=report, note=report.reason)
    return report
