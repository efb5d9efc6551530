"""Signing in to the portal with a phone number and a one-time SMS code.

The answers never tell whether a number is known: every valid mobile number
may ask for a code (the first sign-in creates the account), limits and the
lock-out count per number whether or not it has an account, and a wrong,
expired or spent code gets the same words."""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.models import Outcome
from audit.services import audit_record
from core.identity import mask_phone, validate_phone
from messaging.api import Recipient, message_send
from orgs.models import OrgUnit
from portal import limits
from portal.models import PortalAccount, SignInCode

log = logging.getLogger(__name__)

CODE_TEMPLATE = "portal_code"


def mobile(value: str) -> str:
    """The mobile number typed (`+86`, spaces and full-width digits allowed),
    as its 11 digits; a landline or anything else is refused (no SMS)."""
    phone = validate_phone(value)
    digits = phone[-11:]
    if not phone or not digits.isdigit() or not digits.startswith("1"):
        raise ValidationError(_("Enter a mobile number: 11 digits starting with 1."))
    return digits


def local_time(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def locked_message(until: datetime) -> str:
    return _("Too many wrong codes for this number. Try again after %(time)s.") % {"time": local_time(until)}


@dataclass(frozen=True)
class CodeAnswer:
    """What the sign-in page says after a code was asked for."""

    sent: bool
    retry_at: datetime | None = None  # when another code may be asked (refused: too many)
    locked_until: datetime | None = None


def _detail(phone: str, account: PortalAccount | None = None) -> dict[str, object]:
    out: dict[str, object] = {"phone": mask_phone(phone)}
    if account is not None:
        out["account"] = account.pk
    return out


def district() -> OrgUnit | None:
    return OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()


def code_request(*, phone: str, ip: str | None, now: datetime | None = None) -> CodeAnswer:
    """Send a new sign-in code to `phone` (already `mobile()`-checked) unless
    a limit holds: one code per PORTAL_CODE_GAP_SECONDS and
    PORTAL_CODES_PER_PHONE_HOUR per number, PORTAL_CODES_PER_ADDRESS_HOUR
    per client address. A new code voids the number's earlier ones."""
    now = now or timezone.now()
    address = ip or "unknown"
    until = limits.locked_until(phone, now=now)
    if until is not None:
        with transaction.atomic():
            audit_record(actor=None, action=Action.PORTAL_CODE_REFUSED, outcome=Outcome.DENIED, changes=_detail(phone))
        return CodeAnswer(sent=False, locked_until=until)
    waits = [
        limits.retry_at(limits.CODE_PHONE, phone, 1, timedelta(seconds=settings.PORTAL_CODE_GAP_SECONDS), now=now)
        if settings.PORTAL_CODE_GAP_SECONDS
        else None,
        limits.retry_at(limits.CODE_PHONE, phone, settings.PORTAL_CODES_PER_PHONE_HOUR, limits.HOUR, now=now),
        limits.retry_at(limits.CODE_ADDRESS, address, settings.PORTAL_CODES_PER_ADDRESS_HOUR, limits.HOUR, now=now),
    ]
    refused = [w for w in waits if w is not None]
    if refused:
        with transaction.atomic():
            audit_record(actor=None, action=Action.PORTAL_CODE_REFUSED, outcome=Outcome.DENIED, changes=_detail(phone))
        return CodeAnswer(sent=False, retry_at=max(refused))
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        phone_hash = limits.digest(phone, "phone")
        SignInCode.objects.filter(phone_hash=phone_hash, spent_at__isnull=True).update(spent_at=now)
        row = SignInCode.objects.create(
            phone_hash=phone_hash,
            code_hash=limits.digest(f"{phone}:{code}", "code"),
            created_at=now,
            expires_at=now + timedelta(minutes=settings.PORTAL_CODE_MINUTES),
        )
        limits.hit(limits.CODE_PHONE, phone, now=now)
        limits.hit(limits.CODE_ADDRESS, address, now=now)
        message_send(
            channel="sms",
            to=Recipient(address=phone, unit=district()),
            template=CODE_TEMPLATE,
            params={"code": code, "minutes": str(settings.PORTAL_CODE_MINUTES)},
            event=CODE_TEMPLATE,
            dedupe_key=f"{CODE_TEMPLATE}:{row.pk}",
        )
        audit_record(actor=None, action=Action.PORTAL_CODE_SEND, changes=_detail(phone))
    if settings.DEBUG and settings.SMS_BACKEND == "console":
        # Development only: the console SMS backend sends nothing, so a tester reads the code here.
        log.warning("Portal sign-in code for %s: %s (console SMS, development only)", mask_phone(phone), code)
    return CodeAnswer(sent=True)


@dataclass(frozen=True)
class SignInAnswer:
    account: PortalAccount | None
    error: str = ""
    locked_until: datetime | None = None


def code_verify(*, phone: str, code: str, now: datetime | None = None) -> SignInAnswer:
    """Check the code typed for `phone`. Right: the code is spent, the
    number's wrong tries are forgotten and the account (created on the first
    sign-in) returned. Wrong: the try counts towards voiding the code
    (PORTAL_CODE_TRIES) and towards the number's lock-out (LOGIN_FAILURE_LIMIT
    within LOGIN_FAILURE_WINDOW_MINUTES, like a staff login)."""
    now = now or timezone.now()
    until = limits.locked_until(phone, now=now)
    account = PortalAccount.objects.filter(phone=phone).first()
    if until is not None:
        with transaction.atomic():
            audit_record(
                actor=None,
                action=Action.PORTAL_SIGNIN_FAIL,
                outcome=Outcome.DENIED,
                changes=_detail(phone, account),
                note="locked",
            )
        return SignInAnswer(None, locked_message(until), until)
    code = "".join(ch for ch in str(code) if not ch.isspace())
    with transaction.atomic():
        row = (
            SignInCode.objects.select_for_update()
            .filter(phone_hash=limits.digest(phone, "phone"), spent_at__isnull=True, expires_at__gt=now)
            .first()
        )
        right = row is not None and hmac.compare_digest(row.code_hash, limits.digest(f"{phone}:{code}", "code"))
        if row is not None and right:
            row.spent_at = now
            row.save(update_fields=["spent_at"])
            limits.clear(limits.WRONG_CODE, phone)
            created = account is None
            if account is None:
                account = PortalAccount.objects.create(phone=phone)
            account.failed_logins = 0
            account.locked_until = None
            account.last_login_at = now
            account.save(update_fields=["failed_logins", "locked_until", "last_login_at"])
            audit_record(
                actor=None,
                action=Action.PORTAL_SIGNIN,
                target=account,
                unit=account.station,
                changes={**_detail(phone, account), "new": created},
            )
            return SignInAnswer(account)
        if row is not None:
            row.wrong_tries += 1
            if row.wrong_tries >= settings.PORTAL_CODE_TRIES:
                row.spent_at = now  # voided: a new code must be asked for
            row.save(update_fields=["wrong_tries", "spent_at"])
        limits.hit(limits.WRONG_CODE, phone, now=now)
        until = limits.locked_until(phone, now=now)
        if account is not None:
            account.failed_logins += 1
            account.locked_until = until
            account.save(update_fields=["failed_logins", "locked_until"])
        audit_record(
            actor=None,
            action=Action.PORTAL_SIGNIN_FAIL,
            outcome=Outcome.FAILURE,
            changes=_detail(phone, account),
            unit=account.station if account else None,
        )
    if until is not None:
        return SignInAnswer(None, locked_message(until), until)
    return SignInAnswer(None, _("The code is wrong, has expired or was already used. Ask for a new code."))
