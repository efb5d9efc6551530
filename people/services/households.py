"""Household files."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from core import identity
from core.access import Perm, require, require_unit_in_scope
from people.models import Household
from people.services.checks import require_community

if TYPE_CHECKING:
    from accounts.models import User
    from orgs.models import OrgUnit

_HOUSEHOLD_FIELDS = ("unit", "address", "head", "notes")


class HouseholdChanges(TypedDict, total=False):
    """What an edit may change; a key left out stays as it is."""

    unit: OrgUnit
    address: str
    notes: str


@transaction.atomic
def household_create(*, actor: User, unit: OrgUnit, address: str, notes: str = "") -> Household:
    require(actor, Perm.RECORD_EDIT)
    require_community(actor, unit)
    address = identity.normalise_text(address)
    if not address:
        raise ValidationError({"address": _("Enter the address.")})
    hh = Household.objects.create(unit=unit, address=address, notes=notes)
    audit_record(
        actor=actor, action=Action.HOUSEHOLD_CREATE, target=hh, changes=diff({}, snapshot(hh, _HOUSEHOLD_FIELDS))
    )
    return hh


@transaction.atomic
def household_update(*, actor: User, household: Household, **fields: Unpack[HouseholdChanges]) -> Household:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, household.unit)
    before = snapshot(household, _HOUSEHOLD_FIELDS)
    unknown = set(fields) - set(HouseholdChanges.__annotations__)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    if "unit" in fields and fields["unit"] != household.unit:
        require_community(actor, fields["unit"])
        if household.members.exists():
            raise ValidationError({"unit": _("Move the members first: a household and its members share a community.")})
    if "address" in fields:
        fields["address"] = identity.normalise_text(fields["address"])
        if not fields["address"]:
            raise ValidationError({"address": _("Enter the address.")})
    for key, value in fields.items():
        setattr(household, key, value)
    household.save()
    audit_record(
        actor=actor,
        action=Action.HOUSEHOLD_UPDATE,
        target=household,
        changes=diff(before, snapshot(household, _HOUSEHOLD_FIELDS)),
    )
    return household
