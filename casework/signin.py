"""Signing in at an activity by its QR code: the signed link, the window in
which it works, the per-address and per-phone limits, and the keyed digest
under which a phone number is remembered (never the number itself).

The link carries `django.core.signing` of the activity's id and its
`signin_key`: a tampered link fails the signature, a renewed QR code changes
the key, a switched-off one is refused by `signin_open`. The window (from
`LINLI_SIGNIN_OPENS_MINUTES` before the start to `LINLI_SIGNIN_CLOSES_MINUTES`
after the end) is read from the activity when the link is used, so moving the
activity moves the window and no link needs re-printing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from casework import conf
from casework.models import Activity, ActivityStatus

_SALT = "casework.activity-signin"


def signin_token(activity: Activity) -> str:
    return signing.dumps({"a": activity.pk, "k": activity.signin_key}, salt=_SALT)


def signin_url(request_or_none: object, activity: Activity) -> str:
    """The public sign-in address of an activity (absolute when a request is given)."""
    path = f"{reverse('signin_public:page')}?t={signin_token(activity)}"
    build = getattr(request_or_none, "build_absolute_uri", None)
    return build(path) if build else path


class Refusal(StrEnum):
    BROKEN = "broken"  # tampered with, or not a link of ours
    RENEWED = "renewed"  # the QR code was replaced
    OFF = "off"  # staff switched sign-in off
    CANCELLED = "cancelled"
    EARLY = "early"
    LATE = "late"


def window(activity: Activity) -> tuple[dt.datetime, dt.datetime]:
    return (
        activity.starts_at - dt.timedelta(minutes=conf.signin_opens_minutes()),
        activity.ends_at + dt.timedelta(minutes=conf.signin_closes_minutes()),
    )


@dataclass(frozen=True)
class Opened:
    activity: Activity | None
    refusal: Refusal | None = None

    @property
    def message(self) -> str:
        """What the visitor is told when the link does not work now."""
        opens = closes = ""
        if self.activity is not None:
            start, end = window(self.activity)
            opens = timezone.localtime(start).strftime("%Y-%m-%d %H:%M")
            closes = timezone.localtime(end).strftime("%Y-%m-%d %H:%M")
        return {
            None: "",
            Refusal.BROKEN: _("This sign-in link is not valid. Scan the QR code at the activity again."),
            Refusal.RENEWED: _("This QR code has been replaced. Scan the new QR code at the activity."),
            Refusal.OFF: _("Sign-in by QR code is switched off for this activity. Ask the staff to sign you in."),
            Refusal.CANCELLED: _("This activity was cancelled."),
            Refusal.EARLY: _("Sign-in opens at %(t)s.") % {"t": opens},
            Refusal.LATE: _("Sign-in closed at %(t)s. Ask the staff to sign you in.") % {"t": closes},
        }[self.refusal]


def open_link(token: str, *, now: dt.datetime | None = None) -> Opened:
    """The activity a link signs in at, or why it does not work now."""
    try:
        data = signing.loads(token or "", salt=_SALT)
        activity_id, key = int(data["a"]), str(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return Opened(None, Refusal.BROKEN)
    activity = (
        Activity.objects.select_related("unit", "unit__parent", "unit__agency", "unit__parent__agency")
        .filter(pk=activity_id)
        .first()
    )
    if activity is None:
        return Opened(None, Refusal.BROKEN)
    if activity.signin_key != key:
        return Opened(activity, Refusal.RENEWED)
    if not activity.signin_open:
        return Opened(activity, Refusal.OFF)
    if activity.status == ActivityStatus.CANCELLED:
        return Opened(activity, Refusal.CANCELLED)
    start, end = window(activity)
    now = now or timezone.now()
    if now < start:
        return Opened(activity, Refusal.EARLY)
    if now > end:
        return Opened(activity, Refusal.LATE)
    return Opened(activity)


def phone_digest(phone: str) -> str:
    """A keyed digest of a normalised phone number: equal numbers, equal digests."""
    return salted_hmac(_SALT, phone).hexdigest()


def over_limit(*, ip: str, digest: str) -> bool:
    """Count this attempt against its address and its phone number; True when
    either has passed its limit within the window."""
    per_ip, per_phone, seconds = conf.signin_rate()
    over = False
    for key, limit in ((f"signin:ip:{ip}", per_ip), (f"signin:phone:{digest}", per_phone)):
        if cache.add(key, 1, seconds):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, seconds)
                count = 1
        over = over or count > limit
    return over
