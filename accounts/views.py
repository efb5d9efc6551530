from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING, Any, cast

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import lists, services
from accounts.forms import ApiTokenForm, LoginForm, PasswordChangeForm, ResetPasswordForm, StaffForm, TokenForm
from accounts.login_page import blank_login_page, is_blank
from accounts.middleware import HAS_DEVICE_KEY, needs_second_factor, password_expired, pending_step
from accounts.selectors import staff_manageable, tokens_of
from accounts.session import session_start
from audit.context import client_ip
from audit.models import Outcome
from core.access import Perm, can, get_in_scope_or_404, requires
from core.forms import form_page, with_tokens
from core.lists import list_page
from orgs.selectors import units_visible

if TYPE_CHECKING:
    from accounts.models import User


def _me(request: HttpRequest) -> User:
    """The signed-in user: the login middleware lets nobody else reach the
    account pages, and @requires nobody else the staff pages."""
    return cast("User", request.user)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _login_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "next": request.GET.get("next", ""),
        "two_factor_required": settings.REQUIRE_2FA_FOR_ADMINS,
        "window": settings.LOGIN_FAILURE_WINDOW_MINUTES,
    }


def _login_page(request: HttpRequest, form: LoginForm, *, locked: bool = False, status: int = 200) -> HttpResponse:
    context = {"title": _("Log in"), "form": form, "locked": locked, **_login_context(request)}
    return render(request, "accounts/login.html", context, status=status)


def _onward(request: HttpRequest) -> str:
    """After a sign-in step: the next step owed (a password change, setting
    up two-factor login), else where the user was going."""
    step = pending_step(request)
    return f"{reverse(step)}?next={_safe_next(request)}" if step else _safe_next(request)


@sensitive_post_parameters("password")
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(settings.LOGIN_REDIRECT_URL)
    if is_blank(request):
        return blank_login_page(request, lambda: _login_form_page(request))
    return _login_form_page(request)


def _login_form_page(request: HttpRequest) -> HttpResponse:
    def log_in(data: dict[str, Any]) -> User:
        username = data["username"]
        user = authenticate(request, username=username, password=data["password"])
        if getattr(request, "axes_locked_out", False):
            # The lock-out middleware answers with the locked page (locked_out).
            services.login_record(
                user=None, username=username, ip=client_ip(request), outcome=Outcome.DENIED, note="locked"
            )
            raise ValidationError(_("This account is locked."))
        if user is None:
            services.login_record(user=None, username=username, ip=client_ip(request), outcome=Outcome.FAILURE)
            raise ValidationError(
                _("Wrong username or password. After %(n)s failures the account is locked.")
                % {"n": settings.LOGIN_FAILURE_LIMIT}
            )
        login(request, user)
        session_start(request)
        request.session.pop(HAS_DEVICE_KEY, None)  # looked up afresh for this login
        services.login_record(user=user, username=username, ip=client_ip(request), outcome=Outcome.SUCCESS)
        return cast("User", user)

    return form_page(
        request,
        form=LoginForm(request.POST or None),
        act=log_in,
        success=lambda _user: _onward(request),
        done_message="",
        title=_("Log in"),
        cancel_url="",
        breadcrumbs=[],
        template="accounts/login.html",
        extra=lambda: {"locked": False, **_login_context(request)},
        attempt=True,
    )


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes hands lock-outs here, so the message is ours and translated."""
    return _login_page(request, LoginForm(request.POST or None), locked=True, status=403)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.logout_record(user=request.user, ip=client_ip(request))
    logout(request)
    response = redirect(settings.LOGOUT_REDIRECT_URL)
    # Unsent drafts live in localStorage; the logout button's script removes
    # them too (browsers honour this header on HTTPS and localhost only).
    response["Clear-Site-Data"] = '"storage"'
    return response


@sensitive_post_parameters()
def password_change_view(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    form = PasswordChangeForm(request.POST or None, user=user)

    def change(data: dict[str, Any]) -> None:
        services.password_change(user=user, new_password=data["new_password1"])
        update_session_auth_hash(request, user)

    def onward(_result: None) -> str:
        step = pending_step(request)
        return reverse(step) if step else _safe_next(request)

    intro = ""
    if user.must_change_password:
        intro = _("Please choose your own password before you continue.")
    elif password_expired(user):
        intro = _("Your password is older than %(days)s days: choose a new one before you continue.") % {
            "days": settings.PASSWORD_MAX_AGE_DAYS
        }
    return form_page(
        request,
        form=form,
        act=change,
        success=onward,
        done_message=_("Your password was changed."),
        title=_("Change password"),
        cancel_url="",
        intro=intro,
        breadcrumbs=[(_("My account"), reverse("accounts:security"))],
    )


def otp_verify_view(request: HttpRequest) -> HttpResponse:
    user = _me(request)

    def verify(data: dict[str, Any]) -> None:
        device = match_token(user, data["code"])
        outcome = Outcome.FAILURE if device is None else Outcome.SUCCESS
        services.login_record(user=user, username=user.username, ip=client_ip(request), outcome=outcome, note="2fa")
        if device is None:
            raise ValidationError({"code": _("That code is not valid. Check the time on your phone and try again.")})
        otp_login(request, device)

    return form_page(
        request,
        form=TokenForm(request.POST or None),
        act=verify,
        success=lambda _none: _safe_next(request),
        done_message="",
        title=_("Two-factor check"),
        cancel_url="",
        breadcrumbs=[],
        intro=_("Enter the code from your authenticator app."),
        submit_label=_("Verify"),
        attempt=True,
    )


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def totp_setup_view(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or services.totp_device_start(user=user)

    def confirm(data: dict[str, Any]) -> None:
        if not services.totp_device_confirm(user=user, device=device, token=data["code"]):
            raise ValidationError({"code": _("That code is not valid. Check the time on your phone and try again.")})
        otp_login(request, device)
        request.session[HAS_DEVICE_KEY] = True

    return form_page(
        request,
        form=TokenForm(request.POST or None),
        act=confirm,
        success=lambda _none: reverse("accounts:security"),
        done_message=_("Two-factor login is on."),
        title=_("Set up two-factor login"),
        cancel_url="",
        breadcrumbs=[],
        template="accounts/totp_setup.html",
        extra=lambda: {
            "qr": _qr_data_uri(device.config_url),
            "secret": base64.b32encode(device.bin_key).decode(),
            "required": needs_second_factor(user),
        },
        attempt=True,
    )


def security_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/security.html",
        {
            "title": _("My account"),
            "has_2fa": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
            "tokens": tokens_of(request.user),
            "token_form": with_tokens(ApiTokenForm()),
            "new_token": request.session.pop("new_api_token", None),
            "breadcrumbs": [(_("My account"), "")],
        },
    )


@require_POST
def api_token_create_view(request: HttpRequest) -> HttpResponse:
    def act(data: dict[str, Any]) -> None:
        request.session["new_api_token"] = services.api_token_create(user=_me(request), name=data["name"])

    security = reverse("accounts:security")
    return form_page(
        request,
        form=ApiTokenForm(request.POST),
        act=act,
        success=lambda _r: security,
        done_message="",
        title=_("API tokens"),
        submit_label=_("Create token"),
        cancel_url=security,
        breadcrumbs=[(_("My account"), security)],
    )


@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = tokens_of(request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    services.api_token_revoke(user=_me(request), token=token)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:security")


@requires(Perm.STAFF_MANAGE, Perm.SECURITY_MANAGE)
def staff_list(request: HttpRequest) -> HttpResponse:
    return list_page(
        request,
        lists.STAFF,
        template="accounts/staff_list.html",
        context={"title": _("Staff accounts"), "breadcrumbs": [(_("Staff accounts"), "")]},
    )


@requires(Perm.STAFF_MANAGE)
@sensitive_post_parameters("password")
def staff_create(request: HttpRequest) -> HttpResponse:
    actor = _me(request)
    list_url = reverse("accounts:staff_list")
    return form_page(
        request,
        form=StaffForm(request.POST or None, units=units_visible(actor)),
        act=lambda d: services.staff_create(actor=actor, **d),
        success=lambda _staff: list_url,
        done_message=lambda staff: _("Account %(name)s created.") % {"name": staff.username},
        title=_("New staff account"),
        cancel_url=list_url,
        breadcrumbs=[(_("Staff accounts"), list_url)],
    )


@requires(Perm.STAFF_MANAGE, Perm.SECURITY_MANAGE)
def staff_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = _me(request)
    staff = get_in_scope_or_404(staff_manageable(actor), actor, pk=user_id)
    initial = {f: getattr(staff, f) for f in ("username", "full_name", "phone", "role", "unit", "is_active")}
    list_url = reverse("accounts:staff_list")
    return form_page(
        request,
        form=StaffForm(request.POST or None, initial=initial, units=units_visible(actor), editing=True),
        # The username is shown, never changed.
        act=lambda d: services.staff_update(
            actor=actor, staff=staff, **{k: v for k, v in d.items() if k != "username"}
        ),
        success=lambda _staff: list_url,
        done_message=_("Changes saved."),
        title=_("Edit %(name)s") % {"name": staff},
        cancel_url=list_url,
        breadcrumbs=[(_("Staff accounts"), list_url)],
        template="accounts/staff_edit.html",
        # A security administrator edits roles only: no password reset for them.
        extra=lambda: {"staff": staff, "reset_form": ResetPasswordForm() if can(actor, Perm.STAFF_MANAGE) else None},
        edits=staff,
    )


@requires(Perm.STAFF_MANAGE, Perm.SECURITY_MANAGE)
@require_POST
def staff_unlock(request: HttpRequest, user_id: int) -> HttpResponse:
    staff = get_in_scope_or_404(staff_manageable(request.user), request.user, pk=user_id)
    services.staff_unlock(actor=_me(request), staff=staff)
    messages.success(request, _("%(name)s can log in again.") % {"name": staff.username})
    return redirect("accounts:staff_list")


@requires(Perm.STAFF_MANAGE)
@require_POST
@sensitive_post_parameters("password")
def staff_reset_password(request: HttpRequest, user_id: int) -> HttpResponse:
    staff = get_in_scope_or_404(staff_manageable(request.user), request.user, pk=user_id)
    form = ResetPasswordForm(request.POST)
    if form.is_valid():
        try:
            services.staff_reset_password(actor=_me(request), staff=staff, password=form.cleaned_data["password"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Password reset; %(name)s must change it at next login.") % {"name": staff.username}
            )
            return redirect("accounts:staff_list")
    else:
        messages.error(request, _("Enter a new password."))
    return redirect("accounts:staff_edit", user_id=staff.pk)
