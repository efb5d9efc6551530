"""Writes to the partner registries: caring enterprises and their offers,
community social organisations, and the charitable resources ledger."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
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
from partners.incubation import stage_change_record
from partners.models import CommunityOrganisation, Enterprise, EnterpriseOffer, ResourceEntry
from projects.links import check_project_link

if TYPE_CHECKING:
    from core.models import ServiceDomain
    from orgs.models import OrgUnit

ENTERPRISE_FIELDS = (
    "unit",
    "name",
    "credit_code",
    "contact_person",
    "phone",
    "address",
    "latitude",
    "longitude",
    "is_active",
)
ORG_FIELDS = (
    "unit",
    "name",
    "domain",
    "leader",
    "phone",
    "members",
    "party_members",
    "stage",
    "filing",
    "founded_on",
    "description",
    "is_active",
)
OFFER_FIELDS = ("kind", "category", "description", "quantity", "quantity_unit", "value")
ENTRY_FIELDS = (
    "unit",
    "direction",
    "kind",
    "date",
    "donor",
    "enterprise",
    "recipient",
    "purpose",
    "description",
    "value",
    "project",
)


# What each write may set; a key left out stays as it is (or takes the model's default).
class EnterpriseFields(TypedDict, total=False):
    credit_code: str
    contact_person: str
    phone: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    is_active: bool


class EnterpriseChanges(EnterpriseFields, total=False):
    unit: OrgUnit
    name: str


class OfferFields(TypedDict, total=False):
    kind: str
    category: str
    description: str
    quantity: Decimal
    quantity_unit: str
    value: Decimal


class OrganisationFields(TypedDict, total=False):
    domain: ServiceDomain | None
    leader: str
    phone: str
    members: int
    party_members: int
    stage: str
    filing: str
    founded_on: dt.date | None
    description: str
    is_active: bool


class OrganisationChanges(OrganisationFields, total=False):
    unit: OrgUnit
    name: str


class EntryFields(TypedDict, total=False):
    direction: str
    kind: str
    date: dt.date
    donor: str
    enterprise: Enterprise | None
    recipient: str
    purpose: str
    description: str
    value: Decimal
    project: Any


class EntryChanges(EntryFields, total=False):
    unit: OrgUnit


def _apply(actor: Any, obj: Any, allowed: tuple[str, ...], given: Mapping[str, Any]) -> None:
    fields = dict(given)  # normalised below
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    if "unit" in fields:
        require_unit_in_scope(actor, fields["unit"])
    for key in ("name", "contact_person", "address", "leader", "donor", "recipient", "purpose", "category"):
        if key in fields and isinstance(fields[key], str):
            fields[key] = identity.normalise_text(fields[key])
    if fields.get("phone"):
        try:
            fields["phone"] = identity.validate_phone(fields["phone"])
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from None
    for key, value in fields.items():
        setattr(obj, key, value)


def _full_clean(obj: Any) -> None:
    obj.full_clean(exclude=["unit", "enterprise", "recorded_by"])


# ---------------------------------------------------------------- enterprises


def _check_enterprise(e: Enterprise) -> None:
    if e.credit_code:
        try:
            e.credit_code = identity.validate_credit_code(e.credit_code)
        except ValidationError as exc:
            raise ValidationError({"credit_code": exc.messages}) from None
        if Enterprise.objects.filter(credit_code=e.credit_code).exclude(pk=e.pk).exists():
            raise ValidationError({"credit_code": _("An enterprise with this credit code is already registered.")})


@transaction.atomic
def enterprise_create(*, actor: Any, unit: OrgUnit, name: str, **fields: Unpack[EnterpriseFields]) -> Enterprise:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, unit)
    e = Enterprise(unit=unit)
    _apply(actor, e, ENTERPRISE_FIELDS, {"name": name, **fields})
    _check_enterprise(e)
    _full_clean(e)
    e.save()
    audit_record(
        actor=actor, action=Action.ENTERPRISE_CREATE, target=e, changes=diff({}, snapshot(e, ENTERPRISE_FIELDS))
    )
    return e


@transaction.atomic
def enterprise_update(*, actor: Any, enterprise: Enterprise, **fields: Unpack[EnterpriseChanges]) -> Enterprise:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, enterprise.unit)
    before = snapshot(enterprise, ENTERPRISE_FIELDS)
    _apply(actor, enterprise, ENTERPRISE_FIELDS, fields)
    _check_enterprise(enterprise)
    _full_clean(enterprise)
    enterprise.save()
    audit_record(
        actor=actor,
        action=Action.ENTERPRISE_UPDATE,
        target=enterprise,
        changes=diff(before, snapshot(enterprise, ENTERPRISE_FIELDS)),
    )
    return enterprise


@transaction.atomic
def offer_add(*, actor: Any, enterprise: Enterprise, **fields: Unpack[OfferFields]) -> EnterpriseOffer:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, enterprise.unit)
    offer = EnterpriseOffer(enterprise=enterprise)
    _apply(actor, offer, OFFER_FIELDS, fields)
    errors = {}
    if offer.quantity is not None and offer.quantity <= 0:
        errors["quantity"] = _("The quantity must be more than zero.")
    if offer.value is not None and offer.value < 0:
        errors["value"] = _("The value cannot be negative.")
    if errors:
        raise ValidationError(errors)
    offer.full_clean(exclude=["enterprise"])
    offer.save()
    audit_record(
        actor=actor,
        action=Action.ENTERPRISE_OFFER_ADD,
        target=enterprise,
        changes={"offer": [None, str(offer)], "value": [None, str(offer.value)]},
    )
    return offer


@transaction.atomic
def offer_remove(*, actor: Any, offer: EnterpriseOffer) -> None:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, offer.enterprise.unit)
    audit_record(
        actor=actor,
        action=Action.ENTERPRISE_OFFER_REMOVE,
        target=offer.enterprise,
        changes={"offer": [str(offer), None]},
    )
    offer.delete()


# ---------------------------------------------------------------- organisations


def _check_org(o: CommunityOrganisation) -> None:
    errors = {}
    if o.party_members is not None and o.members is not None and o.party_members > o.members:
        errors["party_members"] = _("There cannot be more Party members than members.")
    if o.founded_on and o.founded_on > timezone.localdate():
        errors["founded_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def organisation_create(
    *, actor: Any, unit: OrgUnit, name: str, **fields: Unpack[OrganisationFields]
) -> CommunityOrganisation:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, unit)
    o = CommunityOrganisation(unit=unit)
    _apply(actor, o, ORG_FIELDS, {"name": name, **fields})
    _check_org(o)
    _full_clean(o)
    o.save()
    audit_record(actor=actor, action=Action.ORGANISATION_CREATE, target=o, changes=diff({}, snapshot(o, ORG_FIELDS)))
    return o


@transaction.atomic
def organisation_update(
    *, actor: Any, organisation: CommunityOrganisation, **fields: Unpack[OrganisationChanges]
) -> CommunityOrganisation:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, organisation.unit)
    before = snapshot(organisation, ORG_FIELDS)
    _apply(actor, organisation, ORG_FIELDS, fields)
    _check_org(organisation)
    _full_clean(organisation)
    organisation.save()
    # A stage changed here is kept in the stage history too, dated today.
    stage_change_record(actor, organisation, before["stage"], timezone.localdate(), "")
    audit_record(
        actor=actor,
        action=Action.ORGANISATION_UPDATE,
        target=organisation,
        changes=diff(before, snapshot(organisation, ORG_FIELDS)),
    )
    return organisation


# ---------------------------------------------------------------- resources ledger


def _check_entry(actor: Any, e: ResourceEntry) -> None:
    errors = {}
    if e.value is None or e.value <= Decimal(0):
        errors["value"] = _("The value must be more than zero.")
    if e.date and e.date > timezone.localdate():
        errors["date"] = _("The date cannot be in the future.")
    if e.direction == "in" and not (e.donor or e.enterprise_id):
        errors["donor"] = _("Say who donated it.")
    if e.direction == "out" and not e.recipient:
        errors["recipient"] = _("Say who received it.")
    if e.enterprise is not None:
        require_unit_in_scope(actor, e.enterprise.unit)
    if errors:
        raise ValidationError(errors)
    check_project_link(actor=actor, project=e.project, unit=e.unit)


@transaction.atomic
def entry_create(*, actor: Any, unit: OrgUnit, **fields: Unpack[EntryFields]) -> ResourceEntry:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, unit)
    e = ResourceEntry(unit=unit, recorded_by=actor)
    _apply(actor, e, ENTRY_FIELDS, fields)
    if e.enterprise is not None and not e.donor and e.direction == "in":
        e.donor = e.enterprise.name
    _check_entry(actor, e)
    _full_clean(e)
    e.save()
    audit_record(
        actor=actor, action=Action.RESOURCE_ENTRY_CREATE, target=e, changes=diff({}, snapshot(e, ENTRY_FIELDS))
    )
    return e


@transaction.atomic
def entry_update(*, actor: Any, entry: ResourceEntry, **fields: Unpack[EntryChanges]) -> ResourceEntry:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, entry.unit)
    before = snapshot(entry, ENTRY_FIELDS)
    _apply(actor, entry, ENTRY_FIELDS, fields)
    _check_entry(actor, entry)
    _full_clean(entry)
    entry.save()
    audit_record(
        actor=actor,
        action=Action.RESOURCE_ENTRY_UPDATE,
        target=entry,
        changes=diff(before, snapshot(entry, ENTRY_FIELDS)),
    )
    return entry
