"""Writes to the residents' registry: one transaction, one audit row each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from core import identity
from core.access import Perm, require, require_unit_in_scope, unit_in_scope
from core.identity import pinyin_of, reconcile_identity
from core.roles import Level
from people import followup, rules
from people.models import (
    CategoryGroup,
    CategoryType,
    Consent,
    DataRequest,
    Guardian,
    Household,
    Person,
    PersonCategory,
    Relation,
    RequestKind,
)

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
_HOUSEHOLD_FIELDS = ("unit", "address", "head", "notes")


def _require_community(actor: Any, unit: Any, field: str = "unit") -> None:
    require_unit_in_scope(actor, unit)
    if unit.level != Level.COMMUNITY:
        raise ValidationError({field: _("Choose a community, not a station or the district.")})


def _masked_snapshot(person: Person) -> dict[str, Any]:
    snap = snapshot(person, PERSON_FIELDS)
    snap["resident_id"] = identity.masked_id_of(person)
    return snap


# ---------------------------------------------------------------- identity


def duplicate_id_message(actor: Any, number: str, *, exclude_pk: int | None = None) -> str | None:
    """A message naming the existing file with this ID, or None."""
    existing = (
        Person.objects.filter(id_hash=identity.id_hash(number)).exclude(pk=exclude_pk).select_related("unit").first()
    )
    if existing is None:
        return None
    if unit_in_scope(actor, existing.unit):
        return _("This resident ID is already on file: %(name)s, %(unit)s (file no. %(pk)s).") % {
            "name": existing.name,
            "unit": existing.unit.name,
            "pk": existing.pk,
        }
    return _("This resident ID is already on file in another station; ask the district centre to transfer it.")


def possible_duplicates(name: str, birth_date: dt.date, *, exclude_pk: int | None = None) -> list[Person]:
    full, _initials = pinyin_of(name)
    return list(
        Person.objects.filter(name_pinyin=full, birth_date=birth_date, anonymised_at__isnull=True)
        .exclude(pk=exclude_pk)
        .select_related("unit")[:5]
    )


def _clean_phones(fields: dict[str, Any]) -> None:
    errors = {}
    for key in ("phone", "phone2"):
        if fields.get(key):
            try:
                fields[key] = identity.validate_phone(fields[key])
            except ValidationError as exc:
                errors[key] = exc.messages
    if errors:
        raise ValidationError(errors)


def _check_household(actor: Any, person_unit: Any, household: Household | None, relation: str) -> None:
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


# ---------------------------------------------------------------- persons


@transaction.atomic
def person_create(
    *,
    actor: Any,
    unit: Any,
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
) -> Person:
    require(actor, Perm.RECORD_EDIT)
    _require_community(actor, unit)
    name = identity.normalise_name(name)
    if not name:
        raise ValidationError({"name": _("Enter the name.")})
    parsed, birth_date, sex = reconcile_identity(resident_id=resident_id, birth_date=birth_date, sex=sex)
    fields = {"phone": phone, "phone2": phone2}
    _clean_phones(fields)
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
    full, initials = pinyin_of(name)
    person = Person(
        unit=unit,
        name=name,
        name_pinyin=full,
        name_initials=initials,
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
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    identity.store_id(person, parsed.number if parsed else None)
    person.save()
    _sync_head(person)
    audit_record(actor=actor, action=Action.PERSON_CREATE, target=person, changes=diff({}, _masked_snapshot(person)))
    followup.enrol(actor=actor, persons=[person], why=_("New resident"))
    return person


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, resident_id: str | None = None, confirm_duplicate: bool = False, **fields: Any
) -> Person:
    """Edit a person. `resident_id=None` keeps the stored ID; "" clears it."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    if person.anonymised_at:
        raise ValidationError(_("This file was anonymised and can no longer be edited."))
    before = _masked_snapshot(person)
    if "unit" in fields:
        _require_community(actor, fields["unit"])
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
    _clean_phones(fields)
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
    old_household = person.household
    for key, value in fields.items():
        setattr(person, key, value)
    person.name_pinyin, person.name_initials = pinyin_of(person.name)
    person.save()
    if old_household and old_household != person.household and old_household.head_id == person.pk:
        old_household.head = None
        old_household.save(update_fields=["head", "updated_at"])
    _sync_head(person)
    changes = diff(before, _masked_snapshot(person))
    audit_record(actor=actor, action=Action.PERSON_UPDATE, target=person, changes=changes)
    if {"unit", "birth_date"} & set(changes):  # age rules and the community's lists follow
        followup.enrol(actor=actor, persons=[person], why=_("Resident's details changed"))
    return person


@transaction.atomic
def id_reveal(*, actor: Any, person: Person) -> str:
    """The unmasked resident ID; needs Perm.ID_REVEAL and leaves an audit row."""
    require(actor, Perm.ID_REVEAL)
    require_unit_in_scope(actor, person.unit)
    number = identity.decrypt(person.id_cipher)
    audit_record(actor=actor, action=Action.PERSON_ID_REVEAL, target=person, note=identity.mask_id(number))
    return number


# ---------------------------------------------------------------- guardians


@transaction.atomic
def guardian_add(*, actor: Any, person: Person, name: str, relation: str, phone: str = "") -> Guardian:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    if person.age_on(timezone.localdate()) >= rules.ADULT_AGE:
        raise ValidationError({"name": _("Guardians are recorded for minors only.")})
    fields = {"phone": phone}
    _clean_phones(fields)
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


# ---------------------------------------------------------------- categories


@transaction.atomic
def category_add(
    *,
    actor: Any,
    person: Person,
    category: CategoryType,
    start_date: dt.date,
    end_date: dt.date | None = None,
    subtype: str = "",
    grade: int | None = None,
    evidence: str = "",
) -> PersonCategory:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    if not category.active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    errors: dict[str, str] = {}
    if start_date > timezone.localdate():
        errors["start_date"] = _("The start date cannot be in the future.")
    if end_date and end_date < start_date:
        errors["end_date"] = _("The end date is before the start date.")
    allowed = dict(rules.SUBTYPES.get(category.code, []))
    if subtype and subtype not in allowed:
        errors["subtype"] = _("This subtype does not belong to %(cat)s.") % {"cat": category.name}
    if category.code in {"disability", "child_plight"} and not subtype:
        errors["subtype"] = _("Choose the kind for %(cat)s.") % {"cat": category.name}
    bounds = rules.GRADES.get(category.code)
    if bounds:
        if grade is None:
            errors["grade"] = _("Enter the grade or level (%(lo)s–%(hi)s).") % {"lo": bounds[0], "hi": bounds[1]}
        elif not bounds[0] <= grade <= bounds[1]:
            errors["grade"] = _("The grade or level must be between %(lo)s and %(hi)s.") % {
                "lo": bounds[0],
                "hi": bounds[1],
            }
    elif grade is not None:
        errors["grade"] = _("%(cat)s has no grade.") % {"cat": category.name}
    overlapping = person.categories.filter(category=category, start_date__lte=end_date or dt.date.max).exclude(
        end_date__lt=start_date
    )
    if overlapping.exists():
        errors["start_date"] = _("The person already holds %(cat)s in this period.") % {"cat": category.name}
    if errors:
        raise ValidationError(errors)
    held = PersonCategory.objects.create(
        person=person,
        category=category,
        start_date=start_date,
        end_date=end_date,
        subtype=subtype,
        grade=grade,
        evidence=identity.normalise_text(evidence),
    )
    audit_record(
        actor=actor,
        action=Action.PERSON_CATEGORY_ADD,
        target=person,
        changes={"category": [None, category.name], "start_date": [None, start_date.isoformat()]},
    )
    followup.enrol(actor=actor, persons=[person], why=_("Category added: %(cat)s") % {"cat": category.name})
    return held


@transaction.atomic
def category_end(*, actor: Any, held: PersonCategory, end_date: dt.date) -> PersonCategory:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, held.person.unit)
    if end_date < held.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})
    before = held.end_date
    held.end_date = end_date
    held.save(update_fields=["end_date"])
    audit_record(
        actor=actor,
        action=Action.PERSON_CATEGORY_END,
        target=held.person,
        changes={"end_date": [before and before.isoformat(), end_date.isoformat()], "category": held.category.name},
    )
    followup.enrol(actor=actor, persons=[held.person], why=_("Category ended: %(cat)s") % {"cat": held.category.name})
    return held


@transaction.atomic
def tag_create(*, actor: Any, name: str, code: str) -> CategoryType:
    """A local custom tag (group=custom) that an administrator defines."""
    require(actor, Perm.CONFIG_MANAGE)
    name = identity.normalise_text(name)
    if CategoryType.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A category with this code already exists.")})
    if CategoryType.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A category with this name already exists.")})
    tag = CategoryType.objects.create(code=code, name=name, group=CategoryGroup.CUSTOM, sensitive=False, order=900)
    audit_record(
        actor=actor, action=Action.CATEGORY_TYPE_CREATE, target=tag, unit=actor.unit, changes={"name": [None, name]}
    )
    return tag


@transaction.atomic
def tag_set_active(*, actor: Any, tag: CategoryType, active: bool) -> CategoryType:
    require(actor, Perm.CONFIG_MANAGE)
    if tag.builtin:
        raise ValidationError({"active": _("Built-in categories cannot be switched off.")})
    tag.active = active
    tag.save(update_fields=["active"])
    audit_record(
        actor=actor,
        action=Action.CATEGORY_TYPE_UPDATE,
        target=tag,
        unit=actor.unit,
        changes={"active": [not active, active]},
    )
    return tag


@transaction.atomic
def persons_tag(*, actor: Any, persons: Any, tag: CategoryType, on: dt.date | None = None) -> int:
    """Give the selected residents a local tag from `on` (today); those who
    already hold it are left as they are. All or nothing; audited per person.
    Returns how many were tagged."""
    require(actor, Perm.RECORD_EDIT)
    if tag.group != CategoryGroup.CUSTOM or not tag.active:
        raise ValidationError({"tag": _("Choose a local tag that is in use.")})
    on = on or timezone.localdate()
    persons = list(persons.select_related("unit"))
    for person in persons:
        require_unit_in_scope(actor, person.unit)
    holding = set(
        PersonCategory.objects.filter(person__in=persons, category=tag, start_date__lte=on)
        .exclude(end_date__lt=on)
        .values_list("person_id", flat=True)
    )
    tagged = [p for p in persons if p.pk not in holding]
    PersonCategory.objects.bulk_create([PersonCategory(person=p, category=tag, start_date=on) for p in tagged])
    for person in tagged:
        audit_record(
            actor=actor,
            action=Action.PERSON_TAG,
            target=person,
            changes={"category": [None, tag.name], "start_date": [None, on.isoformat()]},
        )
    return len(tagged)


# ---------------------------------------------------------------- households


@transaction.atomic
def household_create(*, actor: Any, unit: Any, address: str, notes: str = "") -> Household:
    require(actor, Perm.RECORD_EDIT)
    _require_community(actor, unit)
    address = identity.normalise_text(address)
    if not address:
        raise ValidationError({"address": _("Enter the address.")})
    hh = Household.objects.create(unit=unit, address=address, notes=notes)
    audit_record(
        actor=actor, action=Action.HOUSEHOLD_CREATE, target=hh, changes=diff({}, snapshot(hh, _HOUSEHOLD_FIELDS))
    )
    return hh


@transaction.atomic
def household_update(*, actor: Any, household: Household, **fields: Any) -> Household:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, household.unit)
    before = snapshot(household, _HOUSEHOLD_FIELDS)
    if "unit" in fields and fields["unit"] != household.unit:
        _require_community(actor, fields["unit"])
        if household.members.exists():
            raise ValidationError({"unit": _("Move the members first: a household and its members share a community.")})
    if "address" in fields:
        fields["address"] = identity.normalise_text(fields["address"])
        if not fields["address"]:
            raise ValidationError({"address": _("Enter the address.")})
    for key, value in fields.items():
        if key not in ("unit", "address", "notes"):
            raise TypeError(key)
        setattr(household, key, value)
    household.save()
    audit_record(
        actor=actor,
        action=Action.HOUSEHOLD_UPDATE,
        target=household,
        changes=diff(before, snapshot(household, _HOUSEHOLD_FIELDS)),
    )
    return household


# ---------------------------------------------------------------- PIPL


@transaction.atomic
def consent_record(
    *,
    actor: Any,
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
def consent_withdraw(*, actor: Any, consent: Consent, on: dt.date) -> Consent:
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


def person_data(person: Person) -> dict[str, Any]:
    """Everything the registry holds about a person (for a PIPL copy). The ID is
    included in full: the copy is for the person themself."""
    return {
        "name": person.name,
        "sex": person.get_sex_display(),
        "birth_date": person.birth_date.isoformat(),
        "resident_id": identity.decrypt(person.id_cipher),
        "community": person.unit.name,
        "phone": person.phone,
        "phone2": person.phone2,
        "registered_address": person.registered_address,
        "actual_address": person.actual_address,
        "household": person.household.address if person.household else "",
        "relation": person.get_relation_display() if person.relation else "",
        "notes": person.notes,
        "categories": [
            {
                "category": c.category.name,
                "from": c.start_date.isoformat(),
                "until": c.end_date.isoformat() if c.end_date else None,
                "subtype": c.subtype,
                "grade": c.grade,
                "evidence": c.evidence,
            }
            for c in person.categories.select_related("category")
        ],
        "guardians": [{"name": g.name, "relation": g.relation, "phone": g.phone} for g in person.guardians.all()],
        "consents": [
            {
                "purpose": c.purpose,
                "given_on": c.given_on.isoformat(),
                "given_by": c.given_by,
                "withdrawn_on": c.withdrawn_on.isoformat() if c.withdrawn_on else None,
            }
            for c in person.consents.all()
        ],
    }


@transaction.atomic
def data_request_answer(
    *, actor: Any, person: Person, kind: str, received_on: dt.date, answer: str = ""
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
    identity.store_id(person, None)
    person.phone = person.phone2 = ""
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
