"""Residents' files: create, edit, reveal the ID, guardians."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from core import identity
from core.access import Perm, require, require_unit_in_scope
from core.identity import reconcile_identity
from customfields.values import audit_snapshot, clean_custom
from people import followup, rules
from people.models import Guardian, Household, Person, Relation
from people.search_keys import fill_search_keys
from people.selectors import duplicate_id_message, possible_duplicates
from people.services.checks import clean_phones, require_community

if TYPE_CHECKING:
    from accounts.models import User
    from orgs.models import OrgUnit

PERSON_FIELDS = (
    "unit",
    "name",
    "sex",
    "birth_date",
    "phone",
    "phone2",
    "registered_address",
    "actual_address",
    "household",
    "relation",
    "notes",
    "latitude",
    "longitude",
)


class PersonChanges(TypedDict, total=False):
    """What an edit may change (PERSON_FIELDS); a key left out stays as it is."""

    unit: OrgUnit
    name: str
    sex: str
    birth_date: dt.date
    phone: str
    phone2: str
    registered_address: str
    actual_address: str
    household: Household | None
    relation: str
    notes: str
    latitude: Decimal | None
    longitude: Decimal | None


def _masked_snapshot(person: Person) -> dict[str, Any]:
    snap = snapshot(person, PERSON_FIELDS)
    snap["resident_id"] = identity.masked_id_of(person)
    snap.update(audit_snapshot("person", person.unit, person.custom))
    return snap


def _check_household(actor: User, person_unit: OrgUnit, household: Household | None, relation: str) -> None:
    if household is None:
        if relation:
            raise ValidationError({"household": _("Choose the household this relation refers to.")})
        return
    require_unit_in_scope(actor, household.unit)
    if household.unit_id != person_unit.pk:
        raise ValidationError({"household": _("The household belongs to another community.")})
    if not relation:
        raise ValidationError({"relation": _("Say how this person is related to the head of household.")})


def _sync_head(person: Person) -> None:
    hh = person.household
    if hh is None:
        return
    if person.relation == Relation.HEAD:
        if hh.head_id and hh.head_id != person.pk and Person.objects.filter(pk=hh.head_id, household=hh).exists():
            raise ValidationError({"relation": _("This household already has a head: %(name)s.") % {"name": hh.head}})
        if hh.head_id != person.pk:
            hh.head = person
            hh.save(update_fields=["head", "updated_at"])
    elif hh.head_id == person.pk:
        hh.head = None
        hh.save(update_fields=["head", "updated_at"])


@transaction.atomic
def person_create(
    *,
    actor: User,
    unit: OrgUnit,
    name: str,
    sex: str = "",
    birth_date: dt.date | None = None,
    resident_id: str = "",
    phone: str = "",
    phone2: str = "",
    registered_address: str = "",
    actual_address: str = "",
    household: Household | None = None,
    relation: str = "",
    notes: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    confirm_duplicate: bool = False,
    custom: dict[str, Any] | None = None,
) -> Person:
    """`custom`: the district's custom fields by code (checked by
    customfields); None from callers that do not fill them (imports)."""
    require(actor, Perm.RECORD_EDIT)
    require_community(actor, unit)
    name = identity.normalise_name(name)
    if not name:
        raise ValidationError({"name": _("Enter the name.")})
    parsed, birth_date, sex = reconcile_identity(resident_id=resident_id, birth_date=birth_date, sex=sex)
    fields = {"phone": phone, "phone2": phone2}
    clean_phones(fields)
    if parsed:
        msg = duplicate_id_message(actor, parsed.number)
        if msg:
            raise ValidationError({"resident_id": msg})
    if not confirm_duplicate and possible_duplicates(name, birth_date):
        raise ValidationError(
            {
                "confirm_duplicate": _(
                    "A person with the same name and birth date is already on file. "
                    "Tick the box to confirm this is a different person."
                )
            },
            code="possible_duplicate",
        )
    _check_household(actor, unit, household, relation)
    values = clean_custom(target="person", unit=unit, values=custom) if custom is not None else {}
    person = Person(
        unit=unit,
        name=name,
        sex=sex,
        birth_date=birth_date,
        phone=fields["phone"],
        phone2=fields["phone2"],
        registered_address=identity.normalise_text(registered_address),
        actual_address=identity.normalise_text(actual_address),
        household=household,
        relation=relation,
        notes=notes,
        latitude=latitude,
        longitude=longitude,
        custom=values,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    identity.store_id(person, parsed.number if parsed else None)
    fill_search_keys(person)
    person.save()
    _sync_head(person)
    audit_record(actor=actor, action=Action.PERSON_CREATE, target=person, changes=diff({}, _masked_snapshot(person)))
    followup.enrol(actor=actor, persons=[person], why=_("New resident"))
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    resident_id: str | None = None,
    confirm_duplicate: bool = False,
    custom: dict[str, Any] | None = None,
    **changes: Unpack[PersonChanges],
) -> Person:
    """Edit a person. `resident_id=None` keeps the stored ID; "" clears it.
    `custom` (by code) goes over the stored custom values; None keeps them."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    fields: dict[str, Any] = dict(changes)  # normalised in place below
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    if person.anonymised_at:
        raise ValidationError(_("This file was anonymised and can no longer be edited."))
    before = _masked_snapshot(person)
    if "unit" in fields:
        require_community(actor, fields["unit"])
    if "name" in fields:
        fields["name"] = identity.normalise_name(fields["name"])
        if not fields["name"]:
            raise ValidationError({"name": _("Enter the name.")})
    if resident_id is not None:
        parsed, birth, sex = reconcile_identity(
            resident_id=resident_id,
            birth_date=fields.get("birth_date", person.birth_date),
            sex=fields.get("sex", person.sex),
        )
        if parsed:
            msg = duplicate_id_message(actor, parsed.number, exclude_pk=person.pk)
            if msg:
                raise ValidationError({"resident_id": msg})
        identity.store_id(person, parsed.number if parsed else None)
        fields["birth_date"], fields["sex"] = birth, sex
    elif person.id_cipher and ("birth_date" in fields or "sex" in fields):
        reconcile_identity(
            resident_id=identity.decrypt(person.id_cipher),
            birth_date=fields.get("birth_date"),
            sex=fields.get("sex"),
        )
    elif "birth_date" in fields or "sex" in fields:
        reconcile_identity(
            resident_id="",
            birth_date=fields.get("birth_date", person.birth_date),
            sex=fields.get("sex", person.sex),
        )
    clean_phones(fields)
    new_name = fields.get("name", person.name)
    new_birth = fields.get("birth_date", person.birth_date)
    if (
        (new_name != person.name or new_birth != person.birth_date)
        and not confirm_duplicate
        and possible_duplicates(new_name, new_birth, exclude_pk=person.pk)
    ):
        raise ValidationError(
            {
                "confirm_duplicate": _(
                    "A person with the same name and birth date is already on file. "
                    "Tick the box to confirm this is a different person."
                )
            },
            code="possible_duplicate",
        )
    unit = fields.get("unit", person.unit)
    if "household" in fields or "relation" in fields or "unit" in fields:
        _check_household(
            actor, unit, fields.get("household", person.household), fields.get("relation", person.relation)
        )
    if custom is not None:
        person.custom = clean_custom(target="person", unit=unit, values=custom, before=person.custom)
    old_household = person.household
    for key, value in fields.items():
        setattr(person, key, value)
    fill_search_keys(person)
    person.save()
    if old_household and old_household != person.household and old_household.head_id == person.pk:
        old_household.head = None
        old_household.save(update_fields=["head", "updated_at"])
    _sync_head(person)
    changed = diff(before, _masked_snapshot(person))
    audit_record(actor=actor, action=Action.PERSON_UPDATE, target=person, changes=changed)
    if {"unit", "birth_date"} & set(changed):  # age rules and the community's lists follow
        followup.enrol(actor=actor, persons=[person], why=_("Resident's details changed"))
    return person


@transaction.atomic
def id_reveal(*, actor: User, person: Person) -> str:
    """The unmasked resident ID; needs Perm.ID_REVEAL and leaves an audit row."""
    require(actor, Perm.ID_REVEAL)
    require_unit_in_scope(actor, person.unit)
    number = identity.decrypt(person.id_cipher)
    audit_record(actor=actor, action=Action.PERSON_ID_REVEAL, target=person, note=identity.mask_id(number))
    return number


# ---------------------------------------------------------------- guardians


@transaction.atomic
def guardian_add(*, actor: User, person: Person, name: str, relation: str, phone: str = "") -> Guardian:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    if person.age_on(timezone.localdate()) >= rules.ADULT_AGE:
        raise ValidationError({"name": _("Guardians are recorded for minors only.")})
    fields = {"phone": phone}
    clean_phones(fields)
    name = identity.normalise_text(name)
    if not name:
        raise ValidationError({"name": _("Enter the guardian's name.")})
    guardian = Guardian.objects.create(person=person, name=name, relation=relation, phone=fields["phone"])
    audit_record(
        actor=actor,
        action=Action.GUARDIAN_ADD,
        target=person,
        changes={"guardian": [None, f"{guardian.name} ({guardian.relation})"]},
    )
    return guardian
