from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from core.access import Perm, require, require_unit_in_scope
from core.roles import Level
from orgs.models import OperatingAgency, OrgUnit
from orgs.validators import PARENT_LEVEL, validate_division_code

if TYPE_CHECKING:
    from accounts.models import User

_UNIT_FIELDS = ("name", "code", "level", "parent", "address", "latitude", "longitude", "agency")
_AGENCY_FIELDS = ("name", "credit_code", "contact_person", "phone")


class UnitChanges(TypedDict, total=False):
    """What an edit of a unit may send; a field left out stays as it is."""

    name: str
    code: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    agency: OperatingAgency | None
    parent: OrgUnit | None  # sent to be refused when it differs: units do not move


class AgencyChanges(TypedDict, total=False):
    name: str
    credit_code: str
    contact_person: str
    phone: str


def _check_placement(*, level: str, parent: OrgUnit | None, code: str, exclude_pk: int | None) -> None:
    if level == Level.DISTRICT:
        if parent is not None:
            raise ValidationError({"parent": _("A district centre has no parent unit.")})
    else:
        expected = PARENT_LEVEL[level]
        if parent is None or parent.level != expected:
            raise ValidationError(
                {
                    "parent": _("A %(level)s must sit directly under a %(parent)s.")
                    % {"level": Level(level).label, "parent": Level(expected).label}
                }
            )
    validate_division_code(code, level, parent.code if parent else None)
    taken = OrgUnit.objects.filter(code=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"code": _("Another unit already has the division code %(code)s.") % {"code": code}})


@transaction.atomic
def orgunit_create(
    *,
    actor: User | None,
    level: str,
    parent: OrgUnit | None,
    name: str,
    code: str,
    address: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    agency: OperatingAgency | None = None,
) -> OrgUnit:
    if actor is not None:
        require(actor, Perm.ORG_MANAGE)
        require_unit_in_scope(actor, parent)
    _check_placement(level=level, parent=parent, code=code, exclude_pk=None)
    if agency is not None and not OrgUnit.level_has_agency(level):
        raise ValidationError({"agency": _("Only a street station has an operating agency.")})
    unit = OrgUnit(
        level=level,
        parent=parent,
        name=name,
        code=code,
        address=address,
        latitude=latitude,
        longitude=longitude,
        agency=agency,
        path=OrgUnit.path_for_code(code, level),
    )
    unit.full_clean(exclude=["path"])
    unit.save()
    audit_record(
        actor=actor,
        action=Action.ORGUNIT_CREATE,
        target=unit,
        unit=unit,
        changes=diff({}, snapshot(unit, _UNIT_FIELDS)),
    )
    return unit


@transaction.atomic
def orgunit_update(*, actor: User, unit: OrgUnit, **fields: Unpack[UnitChanges]) -> OrgUnit:
    """Edit a unit. The level and parent never change here: moving a unit is
    refused with a message rather than re-pathing a subtree silently."""
    require(actor, Perm.ORG_MANAGE)
    require_unit_in_scope(actor, unit)
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit, _UNIT_FIELDS)
    if "parent" in fields and fields["parent"] != unit.parent:
        raise ValidationError({"parent": _("A unit cannot be moved to another parent; create it anew instead.")})
    fields.pop("parent", None)
    new_code = fields.get("code", unit.code)
    if new_code != unit.code:
        if unit.children.exists():
            raise ValidationError({"code": _("The code of a unit that has child units cannot change.")})
        _check_placement(level=unit.level, parent=unit.parent, code=new_code, exclude_pk=unit.pk)
        unit.path = OrgUnit.path_for_code(new_code, unit.level)
    if fields.get("agency") is not None and not unit.has_agency:
        raise ValidationError({"agency": _("Only a street station has an operating agency.")})
    for key, value in fields.items():
        setattr(unit, key, value)
    unit.full_clean(exclude=["path"])
    unit.save()
    audit_record(
        actor=actor,
        action=Action.ORGUNIT_UPDATE,
        target=unit,
        unit=unit,
        changes=diff(before, snapshot(unit, _UNIT_FIELDS)),
    )
    return unit


@transaction.atomic
def agency_create(
    *, actor: User | None, unit: OrgUnit, name: str, credit_code: str = "", contact_person: str = "", phone: str = ""
) -> OperatingAgency:
    if actor is not None:
        require(actor, Perm.ORG_MANAGE)
        require_unit_in_scope(actor, unit)
    if OperatingAgency.objects.filter(unit=unit, name=name).exists():
        raise ValidationError({"name": _("An agency with this name already exists.")})
    agency = OperatingAgency(unit=unit, name=name, credit_code=credit_code, contact_person=contact_person, phone=phone)
    agency.full_clean()
    agency.save()
    audit_record(
        actor=actor,
        action=Action.AGENCY_CREATE,
        target=agency,
        unit=unit,
        changes=diff({}, snapshot(agency, _AGENCY_FIELDS)),
    )
    return agency


@transaction.atomic
def agency_update(*, actor: User, agency: OperatingAgency, **fields: Unpack[AgencyChanges]) -> OperatingAgency:
    require(actor, Perm.ORG_MANAGE)
    require_unit_in_scope(actor, agency.unit)
    before = snapshot(agency, _AGENCY_FIELDS)
    if (
        "name" in fields
        and OperatingAgency.objects.filter(unit=agency.unit, name=fields["name"]).exclude(pk=agency.pk).exists()
    ):
        raise ValidationError({"name": _("An agency with this name already exists.")})
    for key, value in fields.items():
        setattr(agency, key, value)
    agency.full_clean()
    agency.save()
    audit_record(
        actor=actor,
        action=Action.AGENCY_UPDATE,
        target=agency,
        unit=agency.unit,
        changes=diff(before, snapshot(agency, _AGENCY_FIELDS)),
    )
    return agency
