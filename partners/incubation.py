"""Incubating resident groups (社团孵化): the log of support and assessments,
stage changes with their dates, and the member roster (whose counts are the
organisation's member and Party-member figures). Each write one transaction
with one audit event."""

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
from core.access import Perm, require, require_unit_in_scope
from partners.models import (
    CommunityOrganisation,
    IncubationEntry,
    OrganisationMember,
    Stage,
    StageChange,
    SupportKind,
)

_ENTRY_FIELDS = ("kind", "date", "notes", "amount", "score")
STAGE_ORDER = [s.value for s in Stage]


def _check_day(day: dt.date | None, field: str = "date") -> None:
    if day is None:
        raise ValidationError({field: _("Enter a date.")})
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


@transaction.atomic
def incubation_record(
    *,
    actor: Any,
    organisation: CommunityOrganisation,
    kind: str,
    date: dt.date,
    notes: str = "",
    amount: Decimal | None = None,
    score: int | None = None,
) -> IncubationEntry:
    """Log support given to the organisation (training, mentoring, funding,
    a venue) or an assessment of it."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, organisation.unit)
    if kind not in SupportKind.values:
        raise ValidationError({"kind": _("Choose what was given.")})
    _check_day(date)
    errors: dict[str, str] = {}
    if kind == SupportKind.FUNDING and (amount is None or amount <= 0):
        errors["amount"] = _("Give the amount of the funding.")
    if kind != SupportKind.FUNDING and amount is not None:
        errors["amount"] = _("Only funding has an amount.")
    if kind == SupportKind.ASSESSMENT and (score is None or not 0 <= score <= 100):
        errors["score"] = _("An assessment scores 0 to 100.")
    if kind != SupportKind.ASSESSMENT and score is not None:
        errors["score"] = _("Only an assessment has a score.")
    if kind in (SupportKind.TRAINING, SupportKind.MENTORING, SupportKind.ASSESSMENT) and not (notes or "").strip():
        errors["notes"] = _("Say what it covered.")
    if errors:
        raise ValidationError(errors)
    entry = IncubationEntry.objects.create(
        organisation=organisation,
        kind=kind,
        date=date,
        notes=(notes or "").strip(),
        amount=amount,
        score=score,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action=Action.INCUBATION_RECORD,
        target=organisation,
        unit=organisation.unit,
        changes=diff({}, snapshot(entry, _ENTRY_FIELDS)),
    )
    return entry


def stage_change_record(actor: Any, organisation: CommunityOrganisation, before: str, day: dt.date, notes: str) -> None:
    """The stage history's row for a stage the organisation just left
    (its own service and the organisation's edit form both call it)."""
    if before != organisation.stage:
        StageChange.objects.create(
            organisation=organisation,
            from_stage=before,
            to_stage=organisation.stage,
            date=day,
            notes=notes,
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )


@transaction.atomic
def organisation_stage_set(
    *, actor: Any, organisation: CommunityOrganisation, stage: str, date: dt.date, notes: str = ""
) -> StageChange:
    """Move the organisation to another stage (筹备 → 孵化中 → 成长 → 成熟, or
    back) from a date, kept in its stage history."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, organisation.unit)
    organisation = CommunityOrganisation.objects.select_for_update().get(pk=organisation.pk)
    if stage not in STAGE_ORDER:
        raise ValidationError({"stage": _("Choose a stage.")})
    if stage == organisation.stage:
        raise ValidationError({"stage": _("The organisation is already at this stage.")})
    _check_day(date)
    last = organisation.stage_changes.order_by("-date", "-id").first()
    if last is not None and date < last.date:
        raise ValidationError(
            {"date": _("The last stage change was on %(day)s: a later one cannot be earlier.") % {"day": last.date}}
        )
    if organisation.founded_on and date < organisation.founded_on:
        raise ValidationError({"date": _("The date is before the organisation was founded.")})
    before = organisation.stage
    organisation.stage = stage
    organisation.save(update_fields=["stage"])
    stage_change_record(actor, organisation, before, date, (notes or "").strip())
    audit_record(
        actor=actor,
        action=Action.ORGANISATION_STAGE,
        target=organisation,
        changes={"stage": [before, stage], "date": [None, date.isoformat()]},
    )
    return organisation.stage_changes.order_by("-id").first()  # type: ignore[return-value]


def recount(organisation: CommunityOrganisation) -> None:
    """The organisation's member and Party-member figures, from its roster."""
    rows = OrganisationMember.objects.filter(organisation=organisation)
    organisation.members = rows.count()
    organisation.party_members = rows.filter(is_party_member=True).count()
    organisation.save(update_fields=["members", "party_members"])


def check_member(name: str, phone: str, joined_on: dt.date | None) -> tuple[str, str]:
    """A member's name and phone as stored; refuses what cannot be (the importer asks too)."""
    name = identity.normalise_name(name)
    if not name:
        raise ValidationError({"name": _("The name is missing.")})
    phone = identity.validate_phone(phone) if phone else ""
    if joined_on is not None and joined_on > timezone.localdate():
        raise ValidationError({"joined_on": _("The date cannot be in the future.")})
    return name, phone


@transaction.atomic
def member_add(
    *,
    actor: Any,
    organisation: CommunityOrganisation,
    name: str,
    phone: str = "",
    role: str = "",
    is_party_member: bool = False,
    joined_on: dt.date | None = None,
) -> OrganisationMember:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, organisation.unit)
    try:
        name, phone = check_member(name, phone, joined_on)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"phone": exc.messages}) from exc
    if OrganisationMember.objects.filter(organisation=organisation, name=name, phone=phone).exists():
        raise ValidationError({"name": _("%(name)s is already on the roster.") % {"name": name}})
    member = OrganisationMember.objects.create(
        organisation=organisation,
        name=name,
        phone=phone,
        role=(role or "").strip(),
        is_party_member=bool(is_party_member),
        joined_on=joined_on,
    )
    recount(organisation)
    audit_record(
        actor=actor,
        action=Action.ORGANISATION_MEMBER_ADD,
        target=organisation,
        changes={"member": [None, name], "party_member": [None, bool(is_party_member)]},
    )
    return member


@transaction.atomic
def member_remove(*, actor: Any, member: OrganisationMember) -> None:
    organisation = member.organisation
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, organisation.unit)
    name = member.name
    member.delete()
    recount(organisation)
    audit_record(
        actor=actor, action=Action.ORGANISATION_MEMBER_REMOVE, target=organisation, changes={"member": [name, None]}
    )
