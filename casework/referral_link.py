"""The receiving party's answer link of a referral (转介): a random token of
which only the SHA-256 digest is stored, good for one answer until it
expires (`LINLI_REFERRAL_LINK_DAYS`, 14). A new link replaces the old one;
a link used, expired, replaced or tampered with is refused by `open_link`
with the reason, which the public page shows in the visitor's language."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import conf
from casework.models import Referral


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """(token to hand out once, digest to store)."""
    token = secrets.token_urlsafe(32)
    return token, digest(token)


def link_path(token: str) -> str:
    return f"{reverse('referrals_public:answer')}?t={token}"


class Refusal(StrEnum):
    BROKEN = "broken"  # not a link of ours, tampered with, or replaced by a newer one
    USED = "used"
    EXPIRED = "expired"
    CLOSED = "closed"  # the referral was declined or completed meanwhile


MESSAGES = {
    Refusal.BROKEN: lambda: _("This referral link is not valid. Ask the social work station for a new link."),
    Refusal.USED: lambda: _("This referral link has already been used. Ask the social work station for a new link."),
    Refusal.EXPIRED: lambda: _("This referral link has expired. Ask the social work station for a new link."),
    Refusal.CLOSED: lambda: _("This referral is closed; no answer is needed."),
}


@dataclass(frozen=True)
class Opened:
    referral: Referral | None
    refusal: Refusal | None = None

    @property
    def message(self) -> str:
        return MESSAGES[self.refusal]() if self.refusal is not None else ""


def open_link(token: str, *, now: dt.datetime | None = None) -> Opened:
    """The referral a link answers, or why it does not work (any more)."""
    if not token or len(token) > 100:
        return Opened(None, Refusal.BROKEN)
    referral = (
        Referral.objects.select_related("case__person", "unit__parent", "partner_organisation", "partner_enterprise")
        .filter(link_digest=digest(token))
        .first()
    )
    if referral is None:
        return Opened(None, Refusal.BROKEN)
    if referral.link_used_at is not None:
        return Opened(referral, Refusal.USED)
    if referral.status in ("declined", "completed"):
        return Opened(referral, Refusal.CLOSED)
    if referral.link_expires_at is None or (now or timezone.now()) >= referral.link_expires_at:
        return Opened(referral, Refusal.EXPIRED)
    return Opened(referral)


def over_limit(ip: str) -> bool:
    """Count a request of the answer page against its address."""
    limit, seconds = conf.referral_rate()
    key = f"referral-link:ip:{ip}"
    if cache.add(key, 1, seconds):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds)
        count = 1
    return count > limit
