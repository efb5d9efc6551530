"""A resident's life changes: moved away (迁出), deceased (去世), service
ended (停止服务), and being restored. Leaving clears `Person.is_active`, the
flag every follow-up list, overdue list, board count and visit-rate
denominator already reads; every record stays. This is not the PIPL
deletion (`services.data_request_answer`), which anonymises the file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core import identity
from core.access import Perm, require, require_unit_in_scope
from people import followup
from people.models import Person, PersonStatus

LEAVING = (PersonStatus.MOVED, PersonStatus.DECEASED, PersonStatus.ENDED)


def _locked(person: Person) -> Person:
    return Person.objects.select_for_update().select_related("unit").get(pk=person.pk)


@transaction.atomic
def person_status_set(*, actor: Any, person: Person, status: str, on: dt.date | None, reason: str) -> Person:
    """Record that the station no longer serves the person, with the date and
    the reason."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    person = _locked(person)
    if person.anonymised_at:
        raise ValidationError(_("This file was anonymised and can no longer be edited."))
    if not person.is_active:
        raise ValidationError(
            _("%(name)s has already left the station's care (%(status)s).")
            % {"name": person.name, "status": person.get_status_display()}
        )
    reason = identity.normalise_text(reason)
    errors: dict[str, str] = {}
    if status not in LEAVING:
        errors["status"] = _("Choose moved away, deceased or service ended.")
    if on is None:
        errors["on"] = _("Enter the date.")
    elif on > timezone.localdate():
        errors["on"] = _("The date cannot be in the future.")
    elif on < person.birth_date:
        errors["on"] = _("The date is before the birth date.")
    if not reason:
        errors["reason"] = _("Give the reason.")
    if errors:
        raise ValidationError(errors)
    assert on is not None
    person.status, person.status_on, person.status_reason, person.is_active = status, on, reason, False
    person.save(update_fields=["status", "status_on", "status_reason", "is_active", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.PERSON_STATUS,
        target=person,
        changes={"status": [PersonStatus.ACTIVE.value, status], "status_on": [None, on.isoformat()]},
        note=reason,
    )
    return person


@transaction.atomic
def person_restore(*, actor: Any, person: Person, reason: str) -> Person:
    """Serve a person again (back from elsewhere, or recorded by mistake):
    they return to the follow-up lists with their history and are graded if
    they have no card yet."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    person = _locked(person)
    if person.anonymised_at:
        raise ValidationError(_("This file was anonymised and cannot be restored."))
    if person.merged_into_id:
        raise ValidationError(_("This file was merged into file no. %(pk)s.") % {"pk": person.merged_into_id})
    if person.is_active:
        raise ValidationError(_("%(name)s is already served by the station.") % {"name": person.name})
    reason = identity.normalise_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the person is served again.")})
    before = person.status
    person.status, person.status_on, person.status_reason, person.is_active = PersonStatus.ACTIVE, None, "", True
    person.save(update_fields=["status", "status_on", "status_reason", "is_active", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.PERSON_RESTORE,
        target=person,
        changes={"status": [before, person.status]},
        note=reason,
    )
    followup.enrol(actor=actor, persons=[person], why=_("Served again"))
    return person
