"""Writes for volunteer service records, training, awards and certificates."""

from __future__ import annotations

from datetime import date as date_type
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from core.access import Perm, require, require_unit_in_scope
from core.concurrency import lock
from volunteering import conf
from volunteering.models import Award, Certificate, Evaluation, Rating, ServiceRecord, Training
from volunteering.selectors import counted

_RECORD_FIELDS = ("volunteer", "activity_name", "date", "place", "hours", "organiser", "person_in_charge", "late")


def working_days_between(start: date_type, end: date_type) -> int:
    """Working days (Mon–Fri) after `start` up to and including `end`."""
    if end <= start:
        return 0
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    return days


def _clean_hours(hours: Any) -> Decimal:
    try:
        value = Decimal(str(hours))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"hours": _("Enter the hours as a number.")}) from None
    if not value.is_finite() or value <= 0:
        raise ValidationError({"hours": _("Hours served must be more than zero.")})
    if value > conf.MAX_HOURS_PER_RECORD:
        raise ValidationError({"hours": _("One record cannot exceed 24 hours.")})
    return value.quantize(Decimal("0.1"))


def _new_record(
    *,
    volunteer: Any,
    activity_name: str,
    date: date_type,
    place: str,
    content: str,
    hours: Any,
    organiser: str,
    person_in_charge: str,
    source_type: str,
    source_id: str,
) -> ServiceRecord:
    """The checked, unsaved record: hours in (0, 24], a date not in the
    future, flagged late after the configured number of working days."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if not (activity_name or "").strip():
        errors["activity_name"] = _("Name the activity.")
    if date is None:
        errors["date"] = _("Enter the service date.")
    elif date > today:
        errors["date"] = _("The service date cannot be in the future.")
    try:
        value = _clean_hours(hours)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        value = Decimal(0)
    if errors:
        raise ValidationError(errors)
    return ServiceRecord(
        volunteer=volunteer,
        unit=volunteer.unit,
        activity_name=activity_name.strip(),
        date=date,
        place=place,
        content=content,
        hours=value,
        organiser=organiser,
        person_in_charge=person_in_charge,
        source_type=source_type,
        source_id=str(source_id),
        late=working_days_between(date, today) > conf.late_after_working_days(),
    )


@transaction.atomic
def service_record_create(
    *,
    actor: Any,
    volunteer: Any,
    activity_name: str,
    date: date_type,
    place: str = "",
    content: str = "",
    hours: Any,
    organiser: str = "",
    person_in_charge: str = "",
    source_type: str = "",
    source_id: str = "",
) -> ServiceRecord:
    """Record one volunteer's service. Hours must be in (0, 24]; the date may
    not be in the future; a record entered more than the configured number of
    working days after the activity is accepted with `late=True`."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, volunteer.unit)
    record = _new_record(
        volunteer=volunteer,
        activity_name=activity_name,
        date=date,
        place=place,
        content=content,
        hours=hours,
        organiser=organiser,
        person_in_charge=person_in_charge,
        source_type=source_type,
        source_id=source_id,
    )
    record.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    record.save()
    audit_record(
        actor=actor,
        action=Action.SERVICERECORD_CREATE,
        target=record,
        changes=diff({}, snapshot(record, _RECORD_FIELDS)),
    )
    return record


@transaction.atomic
def service_record_propose(
    *,
    volunteer: Any,
    activity_name: str,
    date: date_type,
    place: str = "",
    hours: Any,
    organiser: str = "",
    person_in_charge: str = "",
    source_type: str,
    source_id: str,
    via: str,
) -> ServiceRecord:
    """A **pending** record a volunteer's own sign-in proposes (no staff
    actor: the caller has checked a signed link of the activity, `via` says
    which way, for the audit log). It counts towards hours, stars and
    certificates once staff confirm it (`service_record_confirm`)."""
    record = _new_record(
        volunteer=volunteer,
        activity_name=activity_name,
        date=date,
        place=place,
        content="",
        hours=hours,
        organiser=organiser,
        person_in_charge=person_in_charge,
        source_type=source_type,
        source_id=source_id,
    )
    record.pending = True
    record.save()
    audit_record(
        actor=None,
        actor_label=via,
        action=Action.SERVICERECORD_CREATE,
        target=record,
        changes=diff({}, snapshot(record, (*_RECORD_FIELDS, "pending"))),
    )
    return record


@transaction.atomic
def service_record_confirm(*, actor: Any, record: ServiceRecord, hours: Any = None) -> ServiceRecord:
    """Staff confirm a pending record (the hours may be corrected); from then
    on it counts. A record already confirmed is refused with a message."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, record.unit)
    lock(record)
    if not record.pending:
        raise ValidationError({"__all__": _("This service record was already confirmed.")})
    before = snapshot(record, ("hours", "pending"))
    if hours not in (None, ""):
        record.hours = _clean_hours(hours)
    record.pending = False
    record.confirmed_by = actor
    record.confirmed_at = timezone.now()
    record.save(update_fields=["hours", "pending", "confirmed_by", "confirmed_at"])
    audit_record(
        actor=actor,
        action=Action.SERVICERECORD_CONFIRM,
        target=record,
        changes=diff(before, snapshot(record, ("hours", "pending"))),
    )
    return record


@transaction.atomic
def service_record_correct(*, actor: Any, record: ServiceRecord, hours: Any) -> ServiceRecord:
    """Staff correct the hours of a record (a volunteer asked them to)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, record.unit)
    lock(record)
    before = snapshot(record, ("hours",))
    record.hours = _clean_hours(hours)
    record.save(update_fields=["hours"])
    audit_record(
        actor=actor,
        action=Action.SERVICERECORD_CORRECT,
        target=record,
        changes=diff(before, snapshot(record, ("hours",))),
    )
    return record


@transaction.atomic
def service_record_discard(*, actor: Any, record: ServiceRecord, reason: str) -> None:
    """Staff discard a pending record that did not happen as proposed; a
    confirmed record stays (it may have been certified)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, record.unit)
    lock(record)
    if not record.pending:
        raise ValidationError({"__all__": _("This service record was already confirmed.")})
    audit_record(
        actor=actor,
        action=Action.SERVICERECORD_DISCARD,
        target=record,
        changes=diff(snapshot(record, _RECORD_FIELDS), {}),
        note=reason[:200],
    )
    record.delete()


def _require_volunteer(actor: Any, volunteer: Any) -> None:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, volunteer.unit)


def _past_date(value: date_type | None, field: str) -> dict[str, str]:
    if value is None:
        return {field: _("Enter the date.")}
    if value > timezone.localdate():
        return {field: _("The date cannot be in the future.")}
    return {}


@transaction.atomic
def training_add(
    *, actor: Any, volunteer: Any, name: str, hours: Any, organiser: str, date: date_type, content: str = ""
) -> Training:
    """志愿者培训 (name, content, hours, organiser, date)."""
    _require_volunteer(actor, volunteer)
    errors = _past_date(date, "date")
    if not (name or "").strip():
        errors["name"] = _("Name the training.")
    if not (organiser or "").strip():
        errors["organiser"] = _("Name the organiser.")
    try:
        value = _clean_hours(hours)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        value = Decimal(0)
    if errors:
        raise ValidationError(errors)
    training = Training.objects.create(
        volunteer=volunteer,
        unit=volunteer.unit,
        name=name.strip(),
        content=content,
        hours=value,
        organiser=organiser.strip(),
        date=date,
        recorded_by=actor,
    )
    audit_record(
        actor=actor, action=Action.TRAINING_CREATE, target=training, changes={"training": [None, training.name]}
    )
    return training


@transaction.atomic
def award_add(*, actor: Any, volunteer: Any, name: str, date: date_type, issuer: str) -> Award:
    """表彰奖励 (name, date, issuer)."""
    _require_volunteer(actor, volunteer)
    errors = _past_date(date, "date")
    if not (name or "").strip():
        errors["name"] = _("Name the award.")
    if not (issuer or "").strip():
        errors["issuer"] = _("Name who gave the award.")
    if errors:
        raise ValidationError(errors)
    award = Award.objects.create(
        volunteer=volunteer, unit=volunteer.unit, name=name.strip(), date=date, issuer=issuer.strip(), recorded_by=actor
    )
    audit_record(actor=actor, action=Action.AWARD_CREATE, target=award, changes={"award": [None, award.name]})
    return award


@transaction.atomic
def evaluation_add(*, actor: Any, volunteer: Any, rating: str, date: date_type, comment: str = "") -> Evaluation:
    """服务评价 (rating, date)."""
    _require_volunteer(actor, volunteer)
    errors = _past_date(date, "date")
    if rating not in Rating.values:
        errors["rating"] = _("Choose a rating.")
    if errors:
        raise ValidationError(errors)
    evaluation = Evaluation.objects.create(
        volunteer=volunteer, unit=volunteer.unit, rating=rating, date=date, comment=comment, evaluator=actor
    )
    audit_record(actor=actor, action=Action.EVALUATION_CREATE, target=evaluation, changes={"rating": [None, rating]})
    return evaluation


def _station_name(unit: Any) -> str:
    node = unit
    while node is not None and node.level == "community":
        node = node.parent
    return (node or unit).name


@transaction.atomic
def certificate_issue(*, actor: Any, volunteer: Any, issuing_unit: str = "") -> Certificate:
    """志愿服务证明: certify the hours on record today under a unique number
    (prefix + year + station + running number)."""
    from django.db.models import Count, Sum

    _require_volunteer(actor, volunteer)
    totals = counted(ServiceRecord.objects.filter(volunteer=volunteer)).aggregate(hours=Sum("hours"), n=Count("pk"))
    if not totals["n"]:
        raise ValidationError({"__all__": _("There are no service records to certify yet.")})
    today = timezone.localdate()
    station = volunteer.unit.parent if volunteer.unit.level == "community" else volunteer.unit
    prefix = f"{conf.certificate_prefix()}{today.year}{station.code[6:9]}"
    # Lock the volunteer's row so two clerks cannot draw the same number.
    type(volunteer).objects.select_for_update().filter(pk=volunteer.pk).exists()
    last = (
        Certificate.objects.select_for_update()
        .filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    names = list(
        counted(ServiceRecord.objects.filter(volunteer=volunteer))
        .values_list("activity_name", flat=True)
        .order_by("activity_name")
        .distinct()[:6]
    )
    certificate = Certificate.objects.create(
        volunteer=volunteer,
        unit=volunteer.unit,
        number=f"{prefix}{seq:05d}",
        issued_on=today,
        issuing_unit=(issuing_unit or "").strip() or _station_name(volunteer.unit),
        hours=totals["hours"],
        records=totals["n"],
        content="、".join(names),
        issued_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CERTIFICATE_ISSUE,
        target=certificate,
        changes=diff({}, snapshot(certificate, ("number", "hours", "records", "issuing_unit"))),
    )
    return certificate
