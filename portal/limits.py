"""Rate limits and lock-outs of the portal, counted in the database (one row
per event, `Hit`), so they hold across processes and need no cache.

Keys are HMACs of the phone number or the client address: the table says
how often something happened, never to whom."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

from portal.models import Hit

# The kinds of event counted.
CODE_PHONE = "code_phone"  # a code asked for a phone number
CODE_ADDRESS = "code_address"  # a code asked from a client address
WRONG_CODE = "wrong_code"  # a wrong code typed for a phone number (the lock-out)
SUBMIT_ADDRESS = "submit_address"  # a help request or feedback from an address
SURVEY_ADDRESS = "survey_address"  # a survey answer from an address

HOUR = dt.timedelta(hours=1)


def digest(value: str, purpose: str) -> str:
    """A keyed hash (the project's secret) of a phone, an address or a code."""
    key = f"linli-portal:{purpose}:{settings.SECRET_KEY}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def count(kind: str, value: str, window: dt.timedelta, *, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    return Hit.objects.filter(kind=kind, key=digest(value, kind), at__gt=now - window).count()


def hit(kind: str, value: str, *, now: dt.datetime | None = None) -> None:
    Hit.objects.create(kind=kind, key=digest(value, kind), at=now or timezone.now())


def retry_at(
    kind: str, value: str, limit: int, window: dt.timedelta, *, now: dt.datetime | None = None
) -> dt.datetime | None:
    """When `value` may try again: None while fewer than `limit` events fell
    in the last `window`; else the moment the oldest of the last `limit`
    leaves the window."""
    now = now or timezone.now()
    times = list(
        Hit.objects.filter(kind=kind, key=digest(value, kind), at__gt=now - window)
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if len(times) < limit:
        return None
    return times[-1] + window


def clear(kind: str, value: str) -> None:
    Hit.objects.filter(kind=kind, key=digest(value, kind)).delete()


def lock_window() -> dt.timedelta:
    """Wrong codes lock a number like wrong passwords lock a staff login."""
    return dt.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def locked_until(phone: str, *, now: dt.datetime | None = None) -> dt.datetime | None:
    """The end of the number's lock: LOGIN_FAILURE_LIMIT wrong codes within the
    window lock it until the window has passed since the last of them."""
    now = now or timezone.now()
    window = lock_window()
    times = list(
        Hit.objects.filter(kind=WRONG_CODE, key=digest(phone, WRONG_CODE), at__gt=now - window)
        .order_by("-at")
        .values_list("at", flat=True)[: settings.LOGIN_FAILURE_LIMIT]
    )
    if len(times) < settings.LOGIN_FAILURE_LIMIT:
        return None
    return times[0] + window
