from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from django_otp import user_has_device

from accounts.session import lifetime_over, seconds_left, session_renew
from audit.context import client_ip
from core.roles import ADMIN_2FA_ROLES, PRIVILEGED_ROLES

if TYPE_CHECKING:
    from accounts.models import User

# Paths a visitor may reach without a complete login. The API and the session
# keep-alive authenticate on their own and answer 401 rather than redirecting.
_OPEN_PREFIXES = (
    "/static/",
    "/api/",
    "/i18n/",
    "/public/",
    # the portal signs its own users in (portal/auth.py); they are never staff
    "/portal/",
    "/account/login/",
    "/account/session/",
    "/healthz",
    # the field app's service worker and manifest: no data, and browsers fetch
    # the manifest without cookies (an installed app would lose its manifest)
    "/field/sw.js",
    "/field/manifest.webmanifest",
)
# Until the pending step is done only its own page and logout answer.
_LOGOUT = "/account/logout/"


def needs_second_factor(user: object) -> bool:
    """Whether the user must use two-factor login: administrators in
    production (REQUIRE_2FA_FOR_ADMINS), every privileged role under the
    等保 profile (REQUIRE_2FA_FOR_PRIVILEGED)."""
    role = getattr(user, "role", None)
    if settings.REQUIRE_2FA_FOR_PRIVILEGED and role in PRIVILEGED_ROLES:
        return True
    return bool(settings.REQUIRE_2FA_FOR_ADMINS and role in ADMIN_2FA_ROLES)


def password_expired(user: object) -> bool:
    """Whether the password is older than PASSWORD_MAX_AGE_DAYS (an account
    never dated counts from its creation)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    changed = getattr(user, "password_changed_at", None) or getattr(user, "date_joined", None)
    return bool(days and changed and timezone.now() - changed > timedelta(days=days))


HAS_DEVICE_KEY = "linli_has_otp_device"


def _has_device(request: HttpRequest) -> bool:
    """Whether the user has a confirmed OTP device, looked up once per session
    (two queries otherwise on every request). Login and 2FA setup refresh it."""
    cached = request.session.get(HAS_DEVICE_KEY)
    if cached is None:
        cached = user_has_device(request.user)
        request.session[HAS_DEVICE_KEY] = cached
    return bool(cached)


def pending_step(request: HttpRequest) -> str | None:
    """The URL name of the step the logged-in user still owes before normal
    use: a password change, a TOTP check or a TOTP setup."""
    user = cast("User", request.user)  # asked only once the user has logged in
    if user.must_change_password or password_expired(user):
        return "accounts:password_change"
    if _has_device(request):
        # Right after login() the user is not yet wrapped by OTPMiddleware and
        # has no is_verified(): such a user is not verified.
        is_verified = getattr(user, "is_verified", None)
        if is_verified is None or not is_verified():
            return "accounts:otp_verify"
    elif needs_second_factor(user):
        return "accounts:totp_setup"
    return None


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(_OPEN_PREFIXES):
            return self.get_response(request)
        if not request.user.is_authenticated:
            return to_login(request)
        step = pending_step(request)
        if step and path != _LOGOUT and path != reverse(step):
            htmx = getattr(request, "htmx", None)
            return HttpResponseClientRedirect(reverse(step)) if htmx else redirect(step)
        return self.get_response(request)


def to_login(request: HttpRequest) -> HttpResponse:
    """Send an anonymous (or timed-out) request to the login page, with `next`
    the page the user was on. An htmx request gets HX-Redirect, so the browser
    loads the login page instead of swapping it into a fragment's target."""
    if getattr(request, "linli_lifetime_over", False):
        messages.info(
            request,
            _("Your session reached its maximum of %(hours)s hours. Log in again to continue.")
            % {"hours": settings.SESSION_ABSOLUTE_HOURS},
        )
    elif request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        # A session cookie the server no longer accepts: the session timed out.
        messages.info(
            request,
            _("Your session ended after %(minutes)s minutes without activity. Log in again to continue.")
            % {"minutes": settings.SESSION_IDLE_MINUTES},
        )
    htmx = getattr(request, "htmx", None)
    target = (htmx.current_url_abs_path or "") if htmx else request.get_full_path()
    url = reverse(settings.LOGIN_URL)
    if target:
        query = QueryDict(mutable=True)
        query["next"] = target
        url = f"{url}?{query.urlencode(safe='/')}"
    return HttpResponseClientRedirect(url) if htmx else redirect(url)


class SessionRenewMiddleware:
    """Idle timeout without a write per request: a logged-in user's session is
    renewed (written) at most once every renew_interval() seconds. Replaces
    SESSION_SAVE_EVERY_REQUEST; goes after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and lifetime_over(request):
            # The absolute lifetime: activity does not extend it.
            from accounts.services import session_end_record

            session_end_record(user=request.user, ip=client_ip(request))
            logout(request)
            request.linli_lifetime_over = True  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            session_renew(request)
        response = self.get_response(request)
        if request.user.is_authenticated:
            if request.session.modified:
                # written anyway (a login, a message): that write renews it too
                session_renew(request, force=True)
            if request.headers.get("HX-Request"):
                # the page's expiry warning learns of the renewal (session.js)
                response["X-Session-Left"] = str(seconds_left(request))
        return response
