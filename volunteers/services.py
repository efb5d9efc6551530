"""Writes to the volunteer registry (志愿者, 志愿服务队)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from core import identity
from core.access import Perm, require, require_unit_in_scope, unit_in_scope
from core.identity import pinyin_of, reconcile_identity
from core.roles import Role
from volunteers.models import Skill, Volunteer, VolunteerTeam
from volunteers.selectors import DAYS, SLOTS, volunteer_with_id

if TYPE_CHECKING:
    from accounts.models import User
    from core.models import ServiceDomain
    from orgs.models import OrgUnit

FIELDS = (
    "unit",
    "name",
    "sex",
    "birth_date",
    "phone",
    "address",
    "skills_note",
    "availability",
    "max_tasks_per_week",
    "consent_at",
    "notes",
    "is_active",
    "is_party_member",
    "latitude",
    "longitude",
)
M2M = ("skills", "domains", "teams")


class VolunteerFields(TypedDict, total=False):
    """What a registration may set besides its keywords (FIELDS); left out: the default."""

    phone: str
    address: str
    skills_note: str
    availability: dict[str, list[str]]
    max_tasks_per_week: int
    consent_at: dt.date | None
    notes: str
    is_active: bool
    is_party_member: bool
    latitude: Decimal | None
    longitude: Decimal | None


class VolunteerChanges(VolunteerFields, total=False):
    """What an edit may change; a key left out stays as it is."""

    unit: OrgUnit
    name: str
    sex: str
    birth_date: dt.date | None


class TeamChanges(TypedDict, total=False):
    unit: OrgUnit
    name: str
    leader: User | None


def _snap(v: Volunteer) -> dict[str, Any]:
    s = snapshot(v, FIELDS)
    s["resident_id"] = identity.masked_id_of(v)
    if v.pk:
        for m in M2M:
            s[m] = sorted(str(x) for x in getattr(v, m).all())
    return s


def clean_availability(value: Any) -> dict[str, list[str]]:
    """{"mon": ["am", "pm"], ...}: known days and slots only, in order."""
    if not isinstance(value, dict):
        raise ValidationError({"availability": _("Availability must map weekdays to time slots.")})
    out: dict[str, list[str]] = {}
    for day, slots in value.items():
        if day not in DAYS or not isinstance(slots, (list, tuple)) or any(s not in SLOTS for s in slots):
            raise ValidationError(
                {"availability": _('Use weekdays mon–sun and the slots am, pm, eve (e.g. {"sat": ["am"]}).')}
            )
        if slots:
            out[day] = [s for s in SLOTS if s in slots]
    return {d: out[d] for d in DAYS if d in out}


def _check(actor: Any, v: Volunteer, fields: dict[str, Any], resident_id: str | None) -> None:
    errors: dict[str, Any] = {}
    if "name" in fields:
        fields["name"] = identity.normalise_name(fields["name"])
        if not fields["name"]:
            errors["name"] = _("Enter the name.")
    if fields.get("phone"):
        try:
            fields["phone"] = identity.validate_phone(fields["phone"])
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if "availability" in fields:
        try:
            fields["availability"] = clean_availability(fields["availability"] or {})
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if fields.get("consent_at") and fields["consent_at"] > timezone.localdate():
        errors["consent_at"] = _("The date cannot be in the future.")
    if "max_tasks_per_week" in fields and not 0 < int(fields["max_tasks_per_week"] or 0) <= 14:
        errors["max_tasks_per_week"] = _("Between 1 and 14 tasks a week.")
    if errors:
        raise ValidationError(errors)
    if resident_id is not None:
        parsed, birth, sex = reconcile_identity(
            resident_id=resident_id,
            birth_date=fields.get("birth_date", v.birth_date if v.pk else None),
            sex=fields.get("sex", v.sex if v.pk else None),
        )
        if parsed:
            other = volunteer_with_id(parsed.number, exclude_pk=v.pk)
            if other is not None:
                msg = (
                    _("This resident ID is already registered: volunteer %(name)s (no. %(pk)s).")
                    % {"name": other.name, "pk": other.pk}
                    if unit_in_scope(actor, other.unit)
                    else _("This resident ID is already registered as a volunteer in another station.")
                )
                raise ValidationError({"resident_id": msg})
        identity.store_id(v, parsed.number if parsed else None)
        fields["birth_date"], fields["sex"] = birth, sex
    elif v.pk and v.id_cipher and ("birth_date" in fields or "sex" in fields):
        reconcile_identity(
            resident_id=identity.decrypt(v.id_cipher), birth_date=fields.get("birth_date"), sex=fields.get("sex")
        )
    elif v.pk and ("birth_date" in fields or "sex" in fields):
        reconcile_identity(
            resident_id="", birth_date=fields.get("birth_date", v.birth_date), sex=fields.get("sex", v.sex)
        )


def _set_m2m(actor: Any, v: Volunteer, m2m: dict[str, Any]) -> None:
    if "teams" in m2m and m2m["teams"] is not None:
        for team in m2m["teams"]:
            require_unit_in_scope(actor, team.unit)
    for key, values in m2m.items():
        if values is not None:
            getattr(v, key).set(values)


@transaction.atomic
def volunteer_create(
    *,
    actor: Any,
    unit: OrgUnit,
    name: str,
    resident_id: str = "",
    sex: str = "",
    birth_date: dt.date | None = None,
    skills: Iterable[Skill] | None = None,
    domains: Iterable[ServiceDomain] | None = None,
    teams: Iterable[VolunteerTeam] | None = None,
    **given: Unpack[VolunteerFields],
) -> Volunteer:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, unit)
    fields: dict[str, Any] = dict(given)  # normalised in place by _check
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    v = Volunteer(unit=unit)
    fields.update(name=name, sex=sex, birth_date=birth_date)
    if not sex:
        fields.pop("sex")
    if birth_date is None:
        fields.pop("birth_date")
    _check(actor, v, fields, resident_id or "")
    for key, value in fields.items():
        setattr(v, key, value)
    v.name_pinyin, v.name_initials = pinyin_of(v.name)
    v.full_clean(exclude=["unit", "id_hash", "id_cipher", "id_tail"])
    v.save()
    _set_m2m(actor, v, {"skills": skills, "domains": domains, "teams": teams})
    audit_record(actor=actor, action=Action.VOLUNTEER_CREATE, target=v, changes=diff({}, _snap(v)))
    return v


@transaction.atomic
def volunteer_update(
    *,
    actor: Any,
    volunteer: Volunteer,
    resident_id: str | None = None,
    skills: Iterable[Skill] | None = None,
    domains: Iterable[ServiceDomain] | None = None,
    teams: Iterable[VolunteerTeam] | None = None,
    **changes: Unpack[VolunteerChanges],
) -> Volunteer:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, volunteer.unit)
    fields: dict[str, Any] = dict(changes)  # normalised in place by _check
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    if "unit" in fields:
        require_unit_in_scope(actor, fields["unit"])
    before = _snap(volunteer)
    _check(actor, volunteer, fields, resident_id)
    for key, value in fields.items():
        setattr(volunteer, key, value)
    volunteer.name_pinyin, volunteer.name_initials = pinyin_of(volunteer.name)
    volunteer.full_clean(exclude=["unit", "id_hash", "id_cipher", "id_tail"])
    volunteer.save()
    _set_m2m(actor, volunteer, {"skills": skills, "domains": domains, "teams": teams})
    audit_record(actor=actor, action=Action.VOLUNTEER_UPDATE, target=volunteer, changes=diff(before, _snap(volunteer)))
    return volunteer


def _check_leader(actor: Any, unit: OrgUnit, leader: User | None) -> None:
    if leader is None:
        return
    works_in = leader.unit
    if (
        leader.role not in (Role.SOCIAL_WORKER, Role.STATION_LEAD)
        or works_in is None
        or not unit_in_scope(actor, works_in)
    ):
        raise ValidationError({"leader": _("A team is led by a social worker of your station.")})
    if not (unit.contains(works_in) or works_in.contains(unit)):
        raise ValidationError({"leader": _("The leader works in another station than the team.")})


@transaction.atomic
def team_create(*, actor: Any, unit: OrgUnit, name: str, leader: User | None = None) -> VolunteerTeam:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, unit)
    name = identity.normalise_text(name)
    if not name:
        raise ValidationError({"name": _("Enter the name.")})
    _check_leader(actor, unit, leader)
    team = VolunteerTeam.objects.create(unit=unit, name=name, leader=leader)
    audit_record(actor=actor, action=Action.VOLUNTEER_TEAM_CREATE, target=team, changes={"name": [None, name]})
    return team


@transaction.atomic
def team_update(*, actor: Any, team: VolunteerTeam, **changes: Unpack[TeamChanges]) -> VolunteerTeam:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, team.unit)
    fields: dict[str, Any] = dict(changes)
    before = snapshot(team, ("unit", "name", "leader"))
    unit = fields.get("unit", team.unit)
    require_unit_in_scope(actor, unit)
    if "name" in fields:
        fields["name"] = identity.normalise_text(fields["name"])
        if not fields["name"]:
            raise ValidationError({"name": _("Enter the name.")})
    _check_leader(actor, unit, fields.get("leader", team.leader))
    for key, value in fields.items():
        if key not in ("unit", "name", "leader"):
            raise TypeError(key)
        setattr(team, key, value)
    team.save()
    audit_record(
        actor=actor,
        action=Action.VOLUNTEER_TEAM_UPDATE,
        target=team,
        changes=diff(before, snapshot(team, ("unit", "name", "leader"))),
    )
    return team
