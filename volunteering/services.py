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

from audit.services import audit_record, diff, snapshot
from core.access import Perm, require, require_unit_in_scope
from volunteering import conf
from volunteering.models import ServiceRecord

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
    record = ServiceRecord(
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
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        late=working_days_between(date, today) > conf.late_after_working_days(),
    )
    record.save()
    audit_record(
        actor=actor,
        action="servicerecord.create",
        target=record,
        changes=diff({}, snapshot(record, _RECORD_FIELDS)),
    )
    return record
