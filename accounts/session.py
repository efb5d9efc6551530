"""Idle sessions: renewed at most once a minute, and what a page needs to warn
before the end and to keep unsent drafts (core/static/core/js/session.js)."""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

# When the session was last renewed (epoch seconds). A renewal is a session
# write: Django then sets the expiry to SESSION_COOKIE_AGE from that moment.
TOUCHED_KEY = "linli_touched"
# When the user logged in (epoch seconds): the absolute session lifetime.
LOGIN_AT_KEY = "linli_login_at"


def _now(request: HttpRequest) -> int:
    """The request's clock (epoch seconds), read once: a renewal and the time
    left that the page shows agree even when the page takes a while to draw."""
    now = getattr(request, "_linli_now", None)
    if now is None:
        now = int(time.time())
        request._linli_now = now  # type: ignore[attr-defined]
    return now


def renew_interval() -> int:
    """Seconds between renewals: a minute, or a quarter of a shorter timeout
    so that a user active within the timeout is always renewed in time."""
    return max(1, min(settings.SESSION_RENEW_SECONDS, settings.SESSION_COOKIE_AGE // 4))


def warn_lead() -> int:
    """Seconds before the end at which the page warns: two minutes, or a
    quarter of a short timeout."""
    return max(1, min(settings.SESSION_WARN_SECONDS, settings.SESSION_COOKIE_AGE // 4))


def session_renew(request: HttpRequest, *, force: bool = False) -> None:
    """Extend the logged-in user's session if the last renewal is older than
    renew_interval() (or always with force): only then is the session written."""
    now = _now(request)
    last = request.session.get(TOUCHED_KEY)
    if force or not isinstance(last, int) or now - last >= renew_interval():
        request.session[TOUCHED_KEY] = now


def session_start(request: HttpRequest) -> None:
    """Date the session at login: SESSION_ABSOLUTE_HOURS count from here."""
    request.session[LOGIN_AT_KEY] = _now(request)


def lifetime_over(request: HttpRequest) -> bool:
    """Whether the session is older than SESSION_ABSOLUTE_HOURS, however
    active. A session dated by nothing (opened before this rule) starts now."""
    started = request.session.get(LOGIN_AT_KEY)
    if not isinstance(started, int):
        session_start(request)
        return False
    return _now(request) - started >= settings.SESSION_ABSOLUTE_HOURS * 3600


def seconds_left(request: HttpRequest) -> int:
    """Seconds until the session ends if nothing renews it (a lower bound: the
    write happens at the end of the renewing request)."""
    now = _now(request)
    last = request.session.get(TOUCHED_KEY)
    if not isinstance(last, int):
        last = now
    idle_left = last + settings.SESSION_COOKIE_AGE - now
    started = request.session.get(LOGIN_AT_KEY)
    if isinstance(started, int):  # the warning comes before the absolute end too
        idle_left = min(idle_left, started + settings.SESSION_ABSOLUTE_HOURS * 3600 - now)
    return max(0, idle_left)


@lru_cache(maxsize=64)
def _page_parts(language: str | None, prefix: str) -> tuple[str, SafeString]:
    """The keep-alive URL and the warning's templates (core/_session.html):
    the same on every page in a language, so drawn once per process."""
    return reverse("accounts:keepalive"), render_to_string("core/_session.html")


def page_context(request: HttpRequest) -> dict[str, Any]:
    """Template context for base.html's data attributes."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    keepalive, templates = _page_parts(get_language(), get_script_prefix())
    return {
        "session_ui": {
            "left": seconds_left(request),
            "warn": warn_lead(),
            "renew": renew_interval(),
            "draft_ttl": settings.DRAFT_KEEP_HOURS * 3600,
            "keepalive": keepalive,
            "templates": templates,
        }
    }
