"""What residents send through the portal and what staff decide on it.

A submission is a pending item (HelpRequest, Feedback) in the station's
queue, never a real record: a help request becomes a matching Need only when
a staff member accepts it (matching's own need_create, so its rules and its
audit hold), and is otherwise declined with a reason the resident reads."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core import uploads
from core.access import Perm, require, require_unit_in_scope
from core.concurrency import lock
from core.identity import mask_phone, normalise_name, normalise_text
from core.roles import Level
from matching.models import NeedSource, NeedType
from matching.needs import need_create
from orgs.models import OrgUnit
from portal import limits
from portal.account import guardian_check
from portal.models import Feedback, HelpRequest, IntakeStatus, PortalAccount
from portal.signin import local_time, mobile

# A help request's photo: an image, within the portal's limit and the project's photo limit.
PHOTO = uploads.Kind(
    types=lambda: uploads.IMAGE_TYPES,
    max_bytes=lambda: min(settings.PORTAL_UPLOAD_MAX_MB * 1024 * 1024, uploads.PHOTO.max_bytes()),
)


def _flood_check(ip: str | None, *, now: datetime) -> None:
    """PORTAL_SUBMISSIONS_PER_ADDRESS_HOUR from one address, then a pause."""
    address = ip or "unknown"
    until = limits.retry_at(
        limits.SUBMIT_ADDRESS, address, settings.PORTAL_SUBMISSIONS_PER_ADDRESS_HOUR, limits.HOUR, now=now
    )
    if until is not None:
        raise ValidationError(
            _("Too much was sent from your connection in the last hour. Try again after %(time)s.")
            % {"time": local_time(until)}
        )
    limits.hit(limits.SUBMIT_ADDRESS, address, now=now)


def _community(unit: OrgUnit | None) -> OrgUnit:
    if unit is None or unit.level != Level.COMMUNITY:
        raise ValidationError({"community": _("Choose the community where the help is needed.")})
    return unit


def _number(prefix: str, row: Any) -> str:
    return f"{prefix}-{timezone.localdate(row.created_at).year}-{row.pk:06d}"


def is_child(birth_year: int | None, *, today: Any = None) -> bool:
    """Whether someone born in `birth_year` may be under the guardian age
    (PIPL: 14): with only the year known, anyone who could still be under it."""
    if not birth_year:
        return False
    today = today or timezone.localdate()
    return today.year - int(birth_year) <= settings.PORTAL_GUARDIAN_AGE


def _masked(account: PortalAccount) -> dict[str, Any]:
    return {"account": account.pk, "phone": mask_phone(account.phone)}


@transaction.atomic
def help_submit(
    *,
    account: PortalAccount,
    need_type: NeedType,
    description: str,
    community: OrgUnit | None,
    person_name: str = "",
    birth_year: int | None = None,
    contact_phone: str = "",
    guardian_name: str = "",
    guardian_phone: str = "",
    guardian_relation: str = "",
    photo: Any = None,
    ip: str | None = None,
    now: datetime | None = None,
) -> HelpRequest:
    """求助: a pending request in the community's station queue with its
    tracking number. A child under 14 (the account's holder or the person
    in need) asks only with a guardian's name, phone and relation."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if not need_type.active:
        errors["need_type"] = _("Choose a kind of help from the list.")
    description = normalise_text(description)
    if not description:
        errors["description"] = _("Say in a few words what is needed.")
    try:
        unit = _community(community)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    try:
        phone = mobile(contact_phone or account.phone)
    except ValidationError:
        errors["contact_phone"] = _("Enter a mobile number: 11 digits starting with 1.")
    current = timezone.localdate(now).year
    if birth_year is not None and not (current - 120 <= int(birth_year) <= current):
        errors["birth_year"] = _("Enter a year of birth such as 1948.")
    child = account.under_14 or is_child(birth_year, today=timezone.localdate(now))
    guardian: dict[str, str] = {}
    if child:
        try:
            guardian = guardian_check(
                under_14=True,
                name=guardian_name or account.guardian_name,
                phone=guardian_phone or account.guardian_phone,
                relation=guardian_relation or account.guardian_relation,
            )
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if photo:
        try:
            checked = uploads.check(photo, PHOTO)
        except ValidationError as exc:
            errors["photo"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    _flood_check(ip, now=now)
    stored = default_storage.save(uploads.random_name("portal/help", checked.ext), photo) if photo else ""
    row = HelpRequest.objects.create(
        tracking=f"tmp-{secrets.token_hex(8)}",
        account=account,
        unit=unit,
        need_type=need_type,
        description=description[:300],
        person_name=normalise_name(person_name) or account.name,
        birth_year=birth_year,
        contact_phone=phone,
        photo=stored,
        **guardian,
    )
    row.tracking = _number("QZ", row)
    row.save(update_fields=["tracking"])
    audit_record(
        actor=None,
        action=Action.PORTAL_HELP_SUBMIT,
        target=row,
        changes={**_masked(account), "need_type": need_type.code, "child": child},
    )
    return row


@transaction.atomic
def feedback_submit(
    *,
    account: PortalAccount,
    kind: str,
    text: str,
    community: OrgUnit | None,
    about: str = "",
    ip: str | None = None,
    now: datetime | None = None,
) -> Feedback:
    """意见反馈 / 投诉 about a service: pending in the station's queue."""
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if kind not in {"feedback", "complaint"}:
        errors["kind"] = _("Say whether this is feedback or a complaint.")
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Write what you want to tell the station.")
    try:
        unit = _community(community)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    _flood_check(ip, now=now)
    row = Feedback.objects.create(
        tracking=f"tmp-{secrets.token_hex(8)}",
        account=account,
        unit=unit,
        kind=kind,
        about=normalise_text(about)[:200],
        text=text[:2000],
    )
    row.tracking = _number("FK" if kind == "feedback" else "TS", row)
    row.save(update_fields=["tracking"])
    audit_record(
        actor=None, action=Action.PORTAL_FEEDBACK_SUBMIT, target=row, changes={**_masked(account), "kind": kind}
    )
    return row


# ---------------------------------------------------------------- staff


def _pending(row: Any) -> None:
    if row.status != IntakeStatus.RECEIVED:
        raise ValidationError(_("This was already decided."))


@transaction.atomic
def help_accept(*, actor: Any, help_request: HelpRequest, person: Any, description: str = "") -> HelpRequest:
    """Accept the request as a matching Need for `person` (a resident in the
    registry, in the actor's scope): the need is made by matching itself."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, help_request.unit)
    row = lock(help_request)
    _pending(row)
    if person is None:
        raise ValidationError({"person": _("Choose the resident in the registry this help is for.")})
    need_type = row.need_type
    need = need_create(
        actor=actor,
        person=person,
        domain=need_type.domain,
        need_type=need_type.code,
        description=normalise_text(description) or row.description,
        source=NeedSource.REQUEST,
    )
    row.status = IntakeStatus.ACCEPTED
    row.need = need
    row.decided_by = actor
    row.decided_at = timezone.now()
    row.save(update_fields=["status", "need", "decided_by", "decided_at"])
    audit_record(actor=actor, action=Action.PORTAL_HELP_ACCEPT, target=row, changes={"need": [None, need.pk]})
    return row


@transaction.atomic
def help_decline(*, actor: Any, help_request: HelpRequest, reason: str) -> HelpRequest:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, help_request.unit)
    row = lock(help_request)
    _pending(row)
    reason = normalise_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why, in words the resident will read.")})
    row.status = IntakeStatus.DECLINED
    row.decline_reason = reason[:300]
    row.decided_by = actor
    row.decided_at = timezone.now()
    row.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    audit_record(actor=actor, action=Action.PORTAL_HELP_DECLINE, target=row, note=reason)
    return row


@transaction.atomic
def feedback_reply(*, actor: Any, feedback: Feedback, reply: str) -> Feedback:
    """Answer the feedback or complaint and close it; the resident reads the reply."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, feedback.unit)
    row = lock(feedback)
    _pending(row)
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": _("Write the reply the resident will read.")})
    row.status = IntakeStatus.CLOSED
    row.reply = reply[:2000]
    row.replied_by = actor
    row.replied_at = timezone.now()
    row.save(update_fields=["status", "reply", "replied_by", "replied_at"])
    audit_record(actor=actor, action=Action.PORTAL_FEEDBACK_REPLY, target=row)
    return row
