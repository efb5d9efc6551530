"""Portal sessions: who the resident, volunteer or donor signed in is.

A portal user is not staff. Their session is not a Django auth login
(`request.user` stays anonymous, so no staff page or API ever lets them in);
it is the account's id under its own session key, with its own idle timeout
(PORTAL_IDLE_MINUTES) and absolute lifetime (PORTAL_ABSOLUTE_HOURS). A
browser holds one kind of session at a time: signing in to the portal ends
a staff login, and a staff login hides a portal session (a staff member
uses the portal in a private window or signed out)."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from portal.models import PortalAccount

ACCOUNT_KEY = "portal_account"
STARTED_KEY = "portal_started"
TOUCHED_KEY = "portal_touched"
_KEYS = (ACCOUNT_KEY, STARTED_KEY, TOUCHED_KEY)
# A session is renewed (written) at most this often: a read writes nothing.
RENEW_SECONDS = 60
_UNSET = object()


def _now() -> int:
    return int(time.time())


def _drop(request: HttpRequest) -> None:
    for key in _KEYS:
        request.session.pop(key, None)


def current_account(request: HttpRequest) -> PortalAccount | None:
    """The portal account signed in on this request, or None (no portal
    session, a staff login in the browser, an idle or too old session)."""
    cached = getattr(request, "_portal_account", _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[return-value]
    account = _load(request)
    request._portal_account = account  # type: ignore[attr-defined]
    return account


def _load(request: HttpRequest) -> PortalAccount | None:
    session = getattr(request, "session", None)
    if session is None or ACCOUNT_KEY not in session:
        return None
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return None  # a staff login never carries a portal session
    now = _now()
    started, touched = session.get(STARTED_KEY), session.get(TOUCHED_KEY)
    if (
        not isinstance(started, int)
        or not isinstance(touched, int)
        or now - started > settings.PORTAL_ABSOLUTE_HOURS * 3600
        or now - touched > settings.PORTAL_IDLE_MINUTES * 60
    ):
        _drop(request)
        request.portal_session_ended = True  # type: ignore[attr-defined]
        return None
    account = PortalAccount.objects.select_related("station", "community").filter(pk=session[ACCOUNT_KEY]).first()
    if account is None:
        _drop(request)
        return None
    if now - touched >= RENEW_SECONDS:
        session[TOUCHED_KEY] = now
    return account


def portal_sign_in(request: HttpRequest, account: PortalAccount) -> None:
    """Start a portal session for `account`: a new session key (no fixation),
    and any staff login in this browser ends first."""
    if request.user.is_authenticated:
        logout(request)
    request.session.cycle_key()
    now = _now()
    request.session[ACCOUNT_KEY] = account.pk
    request.session[STARTED_KEY] = now
    request.session[TOUCHED_KEY] = now
    request._portal_account = account  # type: ignore[attr-defined]


def portal_sign_out(request: HttpRequest) -> None:
    _drop(request)
    request.session.cycle_key()
    request._portal_account = None  # type: ignore[attr-defined]


def sign_in_url(request: HttpRequest, name: str = "portal:login") -> str:
    """The sign-in page (or another step) with `next` = the page asked for."""
    htmx = getattr(request, "htmx", None)
    target = (htmx.current_url_abs_path or "") if htmx else request.get_full_path()
    url = reverse(name)
    if target:
        query = QueryDict(mutable=True)
        query["next"] = target
        url = f"{url}?{query.urlencode(safe='/')}"
    return url


def _to(request: HttpRequest, url: str) -> HttpResponse:
    return HttpResponseClientRedirect(url) if getattr(request, "htmx", None) else redirect(url)


def portal_login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """A page for signed-in portal users: sets `request.portal_account`.
    Anyone else is sent to the sign-in page (with `next`); an account that
    has not yet accepted the privacy notice to the first-sign-in page; a
    staff login gets 403 (staff sessions and portal sessions never mix)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            raise PermissionDenied
        account = current_account(request)
        if account is None:
            return _to(request, sign_in_url(request))
        if account.privacy_accepted_at is None:
            return _to(request, sign_in_url(request, "portal:welcome"))
        request.portal_account = account  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapped
