"""Party-building writes: Party organisations, co-building agreements, their
commitments and deliveries. Each is one transaction with one audit event."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from core.access import Perm, require, require_unit_in_scope
from core.concurrency import lock
from partybuilding.models import Agreement, Commitment, PartyOrganisation

if TYPE_CHECKING:
    from accounts.models import User
    from orgs.models import OrgUnit
    from partners.models import Enterprise

ORG_FIELDS = ("unit", "name", "kind", "secretary", "members", "notes")
AGREEMENT_FIELDS = (
    "organisation",
    "partner",
    "partner_kind",
    "enterprise",
    "signed_on",
    "starts_on",
    "ends_on",
    "notes",
)
_COMMITMENT_FIELDS = ("content", "due_on", "delivered_on", "evidence")


def _check_org(unit: OrgUnit, name: str, exclude: int | None) -> None:
    taken = PartyOrganisation.objects.filter(unit=unit, name=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"name": _("This unit already has a Party organisation of that name.")})


@transaction.atomic
def party_org_create(
    *,
    actor: User | None,
    unit: OrgUnit,
    name: str,
    kind: str = "branch",
    secretary: str = "",
    members: int = 0,
    notes: str = "",
) -> PartyOrganisation:
    if actor is not None:
        require(actor, Perm.RECORD_EDIT)
        require_unit_in_scope(actor, unit)
    _check_org(unit, name, None)
    org = PartyOrganisation(unit=unit, name=name, kind=kind, secretary=secretary, members=members, notes=notes)
    org.full_clean()
    org.save()
    audit_record(
        actor=actor, action=Action.PARTY_ORG_CREATE, target=org, unit=unit, changes=diff({}, snapshot(org, ORG_FIELDS))
    )
    return org


@transaction.atomic
def party_org_update(*, actor: User, org: PartyOrganisation, **fields: Any) -> PartyOrganisation:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, org.unit)
    unknown = set(fields) - set(ORG_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    if "unit" in fields:
        require_unit_in_scope(actor, fields["unit"])
    before = snapshot(org, ORG_FIELDS)
    for key, value in fields.items():
        setattr(org, key, value)
    _check_org(org.unit, org.name, org.pk)
    org.full_clean()
    org.save()
    audit_record(
        actor=actor,
        action=Action.PARTY_ORG_UPDATE,
        target=org,
        unit=org.unit,
        changes=diff(before, snapshot(org, ORG_FIELDS)),
    )
    return org


def _check_agreement(
    *, actor: User | None, unit: OrgUnit, fields: dict[str, Any], organisation: PartyOrganisation | None
) -> None:
    errors: dict[str, str] = {}
    starts, ends, signed = fields.get("starts_on"), fields.get("ends_on"), fields.get("signed_on")
    if starts and ends and ends < starts:
        errors["ends_on"] = _("The period cannot end before it starts.")
    if signed and signed > timezone.localdate():
        errors["signed_on"] = _("An agreement cannot be signed in the future.")
    if organisation is not None and not organisation.unit.contains(unit) and not unit.contains(organisation.unit):
        errors["organisation"] = _("The Party organisation belongs to another station.")
    enterprise: Enterprise | None = fields.get("enterprise")
    if enterprise is not None and actor is not None:
        require_unit_in_scope(actor, enterprise.unit)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def agreement_create(
    *,
    actor: User | None,
    unit: OrgUnit,
    partner: str,
    partner_kind: str,
    signed_on: dt.date,
    starts_on: dt.date,
    ends_on: dt.date,
    organisation: PartyOrganisation | None = None,
    enterprise: Enterprise | None = None,
    notes: str = "",
) -> Agreement:
    if actor is not None:
        require(actor, Perm.RECORD_EDIT)
        require_unit_in_scope(actor, unit)
    fields = {
        "organisation": organisation,
        "partner": partner,
        "partner_kind": partner_kind,
        "enterprise": enterprise,
        "signed_on": signed_on,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "notes": notes,
    }
    _check_agreement(actor=actor, unit=unit, fields=fields, organisation=organisation)
    agreement = Agreement(unit=unit, **fields)
    agreement.full_clean()
    agreement.save()
    audit_record(
        actor=actor,
        action=Action.COBUILD_CREATE,
        target=agreement,
        unit=unit,
        changes=diff({}, snapshot(agreement, AGREEMENT_FIELDS)),
    )
    return agreement


@transaction.atomic
def agreement_update(*, actor: User, agreement: Agreement, **fields: Any) -> Agreement:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, agreement.unit)
    unknown = set(fields) - set(AGREEMENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    merged = {f: fields.get(f, getattr(agreement, f)) for f in AGREEMENT_FIELDS}
    _check_agreement(actor=actor, unit=agreement.unit, fields=merged, organisation=merged["organisation"])
    before = snapshot(agreement, AGREEMENT_FIELDS)
    for key, value in fields.items():
        setattr(agreement, key, value)
    agreement.full_clean()
    agreement.save()
    audit_record(
        actor=actor,
        action=Action.COBUILD_UPDATE,
        target=agreement,
        unit=agreement.unit,
        changes=diff(before, snapshot(agreement, AGREEMENT_FIELDS)),
    )
    return agreement


@transaction.atomic
def commitment_create(*, actor: User | None, agreement: Agreement, content: str, due_on: dt.date) -> Commitment:
    """A dated commitment under an agreement; it must fall due within the agreement's period."""
    if actor is not None:
        require(actor, Perm.RECORD_EDIT)
        require_unit_in_scope(actor, agreement.unit)
    if not agreement.starts_on <= due_on <= agreement.ends_on:
        raise ValidationError(
            {
                "due_on": _("A commitment falls due within the agreement's period (%(start)s – %(end)s).")
                % {"start": agreement.starts_on.isoformat(), "end": agreement.ends_on.isoformat()}
            }
        )
    commitment = Commitment(agreement=agreement, content=content, due_on=due_on)
    commitment.full_clean()
    commitment.save()
    audit_record(
        actor=actor,
        action=Action.COMMITMENT_CREATE,
        target=commitment,
        unit=agreement.unit,
        changes=diff({}, snapshot(commitment, _COMMITMENT_FIELDS)),
    )
    return commitment


@transaction.atomic
def commitment_deliver(
    *, actor: User | None, commitment: Commitment, delivered_on: dt.date, evidence: str
) -> Commitment:
    """Record what was delivered and when (with the evidence). First one wins:
    a commitment already delivered is not delivered again."""
    unit = commitment.agreement.unit
    if actor is not None:
        require(actor, Perm.RECORD_EDIT)
        require_unit_in_scope(actor, unit)
    commitment = lock(commitment)
    if commitment.delivered_on is not None:
        raise ValidationError(
            _("This commitment was already delivered on %(date)s.") % {"date": commitment.delivered_on.isoformat()}
        )
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("A delivery cannot be dated in the future.")})
    if not evidence.strip():
        raise ValidationError({"evidence": _("Say what was delivered, so the figure can be checked.")})
    before = snapshot(commitment, _COMMITMENT_FIELDS)
    commitment.delivered_on, commitment.evidence = delivered_on, evidence.strip()
    commitment.save(update_fields=["delivered_on", "evidence"])
    audit_record(
        actor=actor,
        action=Action.COMMITMENT_DELIVER,
        target=commitment,
        unit=unit,
        changes=diff(before, snapshot(commitment, _COMMITMENT_FIELDS)),
    )
    return commitment
