from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from core.roles import Role

# Paths a visitor may reach without a complete login. The API authenticates
# on its own (session or token) and answers 401 rather than redirecting.
_OPEN_PREFIXES = ("/static/", "/api/", "/i18n/", "/public/", "/account/login/", "/healthz")
_HALF_LOGGED_IN = ("/account/logout/", "/account/verify/", "/account/2fa/", "/account/password/")


def needs_second_factor(user: object) -> bool:
    return bool(settings.REQUIRE_2FA_FOR_ADMINS and getattr(user, "role", None) == Role.DISTRICT_ADMIN)


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
    user = request.user
    if user.must_change_password:
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
            return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.get_full_path()}")
        step = pending_step(request)
        if step and not path.startswith(_HALF_LOGGED_IN):
            return redirect(step)
        return self.get_response(request)
