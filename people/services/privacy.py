"""PIPL: consents, and the requests a person makes about their data."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core import identity
from core.access import Perm, require, require_unit_in_scope
from people import rules
from people.models import Consent, DataRequest, Person, RequestKind
from people.selectors import person_data

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def consent_record(
    *,
    actor: User,
    person: Person,
    purpose: str,
    given_on: dt.date,
    given_by: str,
    by_guardian: bool = False,
) -> Consent:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    errors = {}
    if given_on > timezone.localdate():
        errors["given_on"] = _("The date cannot be in the future.")
    if person.age_on(given_on) < rules.GUARDIAN_CONSENT_AGE and not by_guardian:
        errors["by_guardian"] = _("The person is under %(age)s: a guardian must give the consent.") % {
            "age": rules.GUARDIAN_CONSENT_AGE
        }
    if not identity.normalise_text(purpose):
        errors["purpose"] = _("Say what the data will be used for.")
    if not identity.normalise_text(given_by):
        errors["given_by"] = _("Say who gave the consent.")
    if errors:
        raise ValidationError(errors)
    consent = Consent.objects.create(
        person=person,
        unit=person.unit,
        purpose=identity.normalise_text(purpose),
        given_on=given_on,
        given_by=identity.normalise_text(given_by),
        by_guardian=by_guardian,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CONSENT_RECORD,
        target=person,
        changes={"purpose": [None, consent.purpose], "given_on": [None, given_on.isoformat()]},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent: Consent, on: dt.date) -> Consent:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, consent.unit)
    if on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("Consent cannot be withdrawn before it was given.")})
    consent.withdrawn_on = on
    consent.save(update_fields=["withdrawn_on"])
    audit_record(
        actor=actor,
        action=Action.CONSENT_WITHDRAW,
        target=consent.person,
        changes={"withdrawn_on": [None, on.isoformat()]},
    )
    return consent


@transaction.atomic
def data_request_answer(
    *, actor: User, person: Person, kind: str, received_on: dt.date, answer: str = ""
) -> tuple[DataRequest, dict[str, Any] | None]:
    """Record and answer a data subject request. `export` and `see` return the
    person's data; `delete` anonymises the file (aggregate records such as
    visits and service hours keep counting, but no longer name the person);
    `correct` is recorded here and the correction made through the edit form."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    if kind not in RequestKind.values:
        raise ValidationError({"kind": _("Choose the kind of request.")})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date cannot be in the future.")})
    if person.anonymised_at:
        raise ValidationError(_("This file was already anonymised."))
    payload = person_data(person) if kind in (RequestKind.SEE, RequestKind.EXPORT) else None
    req = DataRequest.objects.create(
        person=person, unit=person.unit, kind=kind, received_on=received_on, answer=answer, handled_by=actor
    )
    if kind == RequestKind.DELETE:
        _anonymise(person)
    audit_record(actor=actor, action=Action(f"person.data_request.{kind}"), target=person, note=answer[:200])
    return req, payload


def _anonymise(person: Person) -> None:
    person.name = _("(deleted) #%(pk)s") % {"pk": person.pk}
    person.name_pinyin = person.name_initials = ""
    person.name_suffix1 = person.name_suffix2 = person.name_suffix3 = ""
    identity.store_id(person, None)
    person.phone = person.phone2 = person.phone_tail = person.phone2_tail = ""
    person.registered_address = person.actual_address = person.notes = ""
    person.latitude = person.longitude = None
    person.is_active = False
    person.anonymised_at = timezone.now()
    person.save()
    person.guardians.all().delete()
    person.categories.update(evidence="")
    if person.household and person.household.head_id == person.pk:
        person.household.head = None
        person.household.save(update_fields=["head", "updated_at"])
