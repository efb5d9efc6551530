"""转介: referring a case's resident to a partner of the registry (or a new
one, entered through the partners' own service), the receiving party's
one-time answer link, its answers, and referrals received from partners,
which open a case or a need.

The link (casework/referral_link.py) answers once: accept (with what will be
done), decline (with the reason) or done (what was done, which completes the
referral). For a later answer — what was done after an acceptance — the case
worker issues a new link, which replaces the old one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from casework import conf, referral_link
from casework.access import require_case_team
from casework.models import (
    Case,
    ConsentMethod,
    InboundOpened,
    InboundReferral,
    Referral,
    ReferralStatus,
)
from core.access import Perm, require, require_unit_in_scope, unit_in_scope
from core.roles import Level

ORGANISATION, ENTERPRISE = "organisation", "enterprise"
ANSWERS = ("accept", "decline", "done")


def _station_or_unit(actor: Any, unit: Any) -> Any:
    """Where a partner entered with a referral is registered: the station, when
    the actor's scope covers it; else the case's community."""
    station = unit.parent if unit.level == Level.COMMUNITY and unit.parent_id else unit
    return station if unit_in_scope(actor, station) else unit


def _new_partner(*, actor: Any, unit: Any, name: str, kind: str) -> Any:
    from partners.services import enterprise_create, organisation_create

    where = _station_or_unit(actor, unit)
    if kind == ENTERPRISE:
        return enterprise_create(actor=actor, unit=where, name=name)
    return organisation_create(actor=actor, unit=where, name=name)


def _is_enterprise(partner: Any) -> bool:
    from partners.models import Enterprise

    return isinstance(partner, Enterprise)


def _in_registry(actor: Any, partner: Any) -> bool:
    """A partner the actor may name: registered in scope or at a unit above."""
    from casework.selectors import partner_choices

    organisations, enterprises = partner_choices(actor)
    return (enterprises if _is_enterprise(partner) else organisations).filter(pk=partner.pk).exists()


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    case: Case,
    reason: str,
    referred_on: dt.date,
    consent_on: dt.date | None,
    consent_method: str,
    partner: Any = None,
    new_partner_name: str = "",
    new_partner_kind: str = ORGANISATION,
    asked: str = "",
    contact: str = "",
) -> Referral:
    """转介: refer the person to a partner of the registry (or a new one) —
    only with consent on record."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, case.unit)
    require_case_team(actor, case)
    if not case.is_open:
        raise ValidationError({"__all__": _("The case is closed; reopen it first.")})
    today = timezone.localdate()
    errors: dict[str, str] = {}
    new_partner_name = (new_partner_name or "").strip()
    if partner is None and not new_partner_name:
        errors["partner"] = _("Choose the receiving partner, or enter a new one.")
    elif partner is not None and new_partner_name:
        errors["new_partner_name"] = _("Choose a partner of the registry or enter a new one, not both.")
    elif partner is not None and not _in_registry(actor, partner):
        errors["partner"] = _("Choose a partner of your own registry.")
    if new_partner_name and new_partner_kind not in (ORGANISATION, ENTERPRISE):
        errors["new_partner_kind"] = _("Say whether the new partner is an organisation or an enterprise.")
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the referral.")
    if referred_on is None or referred_on > today:
        errors["referred_on"] = _("The date cannot be in the future.")
    if consent_on is None:
        errors["consent_on"] = _("A referral needs the person's consent on record.")
    elif consent_on > today or (referred_on is not None and consent_on > referred_on):
        errors["consent_on"] = _("Consent must be given on or before the referral date.")
    if consent_method not in ConsentMethod.values:
        errors["consent_method"] = _("Say how the consent was recorded.")
    if errors or consent_on is None:
        raise ValidationError(errors)
    if partner is None:
        partner = _new_partner(actor=actor, unit=case.unit, name=new_partner_name, kind=new_partner_kind)
    referral = Referral.objects.create(
        case=case,
        unit=case.unit,
        organisation=partner.name[:120],
        partner_enterprise=partner if _is_enterprise(partner) else None,
        partner_organisation=None if _is_enterprise(partner) else partner,
        contact=contact,
        reason=reason.strip(),
        asked=(asked or "").strip(),
        referred_on=referred_on,
        consent_on=consent_on,
        consent_method=consent_method,
        made_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.REFERRAL_CREATE,
        target=referral,
        changes=diff({}, snapshot(referral, ("organisation", "referred_on", "consent_on", "consent_method"))),
    )
    return referral


@transaction.atomic
def referral_update(*, actor: Any, referral: Referral, status: str, outcome: str = "") -> Referral:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, referral.unit)
    require_case_team(actor, referral.case)
    if status not in ReferralStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    before = snapshot(referral, ("status", "outcome"))
    referral.status = status
    referral.outcome = outcome
    referral.save(update_fields=["status", "outcome"])
    audit_record(
        actor=actor,
        action=Action.REFERRAL_UPDATE,
        target=referral,
        changes=diff(before, snapshot(referral, ("status", "outcome"))),
    )
    return referral


def is_closed(referral: Referral) -> bool:
    return referral.status in (ReferralStatus.DECLINED, ReferralStatus.COMPLETED)


@transaction.atomic
def referral_link_issue(*, actor: Any, referral: Referral) -> str:
    """Issue the receiving party's answer link (replacing any earlier one) and
    return its token — shown once; only its digest is kept."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, referral.unit)
    require_case_team(actor, referral.case)
    if not referral.consent_on or referral.consent_method not in ConsentMethod.values:
        raise ValidationError(_("Record the resident's consent to the referral before issuing a link."))
    if is_closed(referral):
        raise ValidationError(_("The referral is closed; no answer is needed."))
    if referral.partner_organisation_id is None and referral.partner_enterprise_id is None:
        raise PermissionDenied  # a free-text referral of old has no partner to answer
    token, token_digest = referral_link.new_token()
    now = timezone.now()
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    referral.link_digest = token_digest
    referral.link_issued_at = now
    referral.link_expires_at = now + dt.timedelta(days=conf.referral_link_days())
    referral.link_used_at = None
    referral.save(update_fields=["link_digest", "link_issued_at", "link_expires_at", "link_used_at"])
    audit_record(
        actor=actor,
        action=Action.REFERRAL_LINK_ISSUE,
        target=referral,
        changes={"expires": [None, timezone.localtime(referral.link_expires_at).date().isoformat()]},
    )
    return token


def referral_link_refused(*, referral: Referral | None, reason: str, ip: str | None) -> None:
    """Audit a refused use of an answer link (actor None)."""
    audit_record(
        actor=None,
        action=Action.REFERRAL_LINK_REFUSED,
        target=referral,
        unit=referral.unit if referral is not None else None,
        note=reason,
        ip=ip,
        actor_label=_("receiving party"),
    )


def referral_link_viewed(*, referral: Referral, ip: str | None) -> None:
    audit_record(
        actor=None,
        action=Action.REFERRAL_LINK_VIEW,
        target=referral,
        unit=referral.unit,
        ip=ip,
        actor_label=_("receiving party"),
    )


@transaction.atomic
def referral_answer(
    *, token: str, answer: str, answered_by: str, reason: str = "", feedback: str = "", ip: str | None = None
) -> Referral:
    """The receiving party answers through its link (no account): accept,
    decline with the reason, or record what was done. The link is spent."""
    opened = referral_link.open_link(token)
    if opened.refusal is not None:
        raise ValidationError({"__all__": opened.message})
    assert opened.referral is not None
    referral = Referral.objects.select_for_update().get(pk=opened.referral.pk)
    if referral.link_used_at is not None:  # the same link sent twice at once
        raise ValidationError({"__all__": referral_link.MESSAGES[referral_link.Refusal.USED]()})
    errors: dict[str, str] = {}
    answered_by = (answered_by or "").strip()
    reason, feedback = (reason or "").strip(), (feedback or "").strip()
    if answer not in ANSWERS:
        errors["answer"] = _("Choose your answer.")
    if not answered_by:
        errors["answered_by"] = _("Give your name.")
    if answer == "decline" and not reason:
        errors["reason"] = _("Give the reason for declining.")
    if answer == "done" and not feedback:
        errors["feedback"] = _("Describe what was done.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    before = snapshot(referral, ("status",))
    referral.status = {
        "accept": ReferralStatus.ACCEPTED,
        "decline": ReferralStatus.DECLINED,
        "done": ReferralStatus.COMPLETED,
    }[answer]
    referral.answered_at = now
    referral.link_used_at = now
    referral.answered_by = answered_by[:60]
    if answer == "decline":
        referral.decline_reason = reason
    if feedback:  # a later answer adds to what the party said before
        line = f"{timezone.localdate(now).isoformat()} {feedback}"
        referral.feedback = f"{referral.feedback}\n{line}".strip()
    referral.save(update_fields=["status", "answered_at", "link_used_at", "answered_by", "decline_reason", "feedback"])
    audit_record(
        actor=None,
        action=Action.REFERRAL_ANSWER,
        target=referral,
        unit=referral.unit,
        changes=diff(before, snapshot(referral, ("status",))),
        ip=ip,
        actor_label=_("receiving party"),
    )
    return referral


@transaction.atomic
def inbound_referral_record(
    *,
    actor: Any,
    partner: Any,
    person: Any,
    received_on: dt.date,
    reason: str,
    opens: str,
    domain: Any,
    title: str = "",
    need_type: str = "",
    worker: Any = None,
) -> InboundReferral:
    """A referral received from a partner: who sent it, about whom, what is
    asked; it opens a case (the intake service) or a need (matching's)."""
    from casework.services.cases import case_create

    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    errors: dict[str, str] = {}
    if partner is None:
        errors["partner"] = _("Choose the partner the referral came from.")
    elif not _in_registry(actor, partner):
        errors["partner"] = _("Choose a partner of your own registry.")
    if received_on is None or received_on > timezone.localdate():
        errors["received_on"] = _("The date cannot be in the future.")
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the referral.")
    if opens not in InboundOpened.values:
        errors["opens"] = _("Choose whether it opens a case or a need.")
    elif opens == InboundOpened.CASE and not (title or "").strip():
        errors["title"] = _("Describe the presenting problem.")
    elif opens == InboundOpened.NEED and not (need_type or "").strip():
        errors["need_type"] = _("Say what kind of help is needed.")
    if errors:
        raise ValidationError(errors)
    inbound = InboundReferral(
        unit=person.unit,
        person=person,
        received_on=received_on,
        reason=reason.strip(),
        opened=opens,
        recorded_by=actor,
        **{"from_enterprise" if _is_enterprise(partner) else "from_organisation": partner},
    )
    summary = _("Referred by %(partner)s: %(reason)s") % {"partner": partner, "reason": reason.strip()}
    if opens == InboundOpened.CASE:
        inbound.case = case_create(
            actor=actor,
            person=person,
            domain=domain,
            title=title,
            intake_summary=summary,
            opened_on=received_on,
            worker=worker,
        )
    else:
        from matching.models import NeedSource
        from matching.needs import need_create

        inbound.need = need_create(
            actor=actor,
            person=person,
            domain=domain,
            need_type=need_type,
            description=summary,
            source=NeedSource.REQUEST,  # asked for on the resident's behalf
        )
    inbound.save()
    audit_record(
        actor=actor,
        action=Action.REFERRAL_INBOUND,
        target=inbound,
        unit=person.unit,
        changes={"from": [None, str(partner)], "opens": [None, opens]},
    )
    return inbound
