"""The portal's own pages: home, sign-in, first sign-in, account, privacy
notice and the text-size switch. The residents' requests are in
portal/resident_views.py; volunteers' and donors' pages in participation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from audit.actions import Action
from audit.context import client_ip
from audit.services import audit_record
from core.forms import form_page
from core.identity import mask_phone
from portal import account as accounts
from portal.auth import current_account, portal_login_required, portal_sign_in, portal_sign_out
from portal.entries import entries
from portal.forms import CodeForm, PhoneForm, WelcomeForm
from portal.signin import code_request, code_verify, local_time, locked_message
from portal.templatetags.portal import LARGE_TEXT_COOKIE

PENDING_PHONE = "portal_pending_phone"


def _next(request: HttpRequest, default: str = "portal:home") -> str:
    """Where to go after a step: the `next` asked for if it is a portal page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/portal/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(default)


def _with_next(request: HttpRequest, name: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    url = reverse(name)
    if target.startswith("/portal/"):
        query = QueryDict(mutable=True)
        query["next"] = target
        url = f"{url}?{query.urlencode(safe='/')}"
    return url


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"entries": entries(), "account": current_account(request)})


def login(request: HttpRequest) -> HttpResponse:
    """Step one: the mobile number. The answer is the same for any number."""
    form = PhoneForm(request.POST or None)

    def act(data: dict[str, Any]) -> Any:
        answer = code_request(phone=data["phone"], ip=client_ip(request))
        request.session[PENDING_PHONE] = data["phone"]
        if answer.locked_until is not None:
            messages.error(request, locked_message(answer.locked_until))
        elif not answer.sent and answer.retry_at is not None:
            messages.error(
                request,
                _("Too many codes were asked for. Try again after %(time)s; a code already sent still works.")
                % {"time": local_time(answer.retry_at)},
            )
        return answer

    return form_page(
        request,
        form=form,
        act=act,
        success=lambda answer: _with_next(request, "portal:code"),
        done_message=lambda answer: (
            _("If %(phone)s can receive SMS, a code is on its way. It is valid for %(minutes)s minutes.")
            % {"phone": mask_phone(request.session.get(PENDING_PHONE, "")), "minutes": settings.PORTAL_CODE_MINUTES}
            if answer.sent
            else ""
        ),
        title=pgettext("portal", "Sign in"),
        cancel_url="",
        breadcrumbs=[],
        intro=_("Sign in with your mobile number. No password is needed."),
        submit_label=_("Send me a code"),
        template="portal/form.html",
        attempt=True,
    )


def code(request: HttpRequest) -> HttpResponse:
    """Step two: the code from the SMS."""
    phone = request.session.get(PENDING_PHONE)
    if not phone:
        return redirect(_with_next(request, "portal:login"))
    form = CodeForm(request.POST or None)

    def act(data: dict[str, Any]) -> Any:
        answer = code_verify(phone=phone, code=data["code"])
        if answer.account is None:
            raise ValidationError({"code": answer.error})
        request.session.pop(PENDING_PHONE, None)
        portal_sign_in(request, answer.account)
        return answer.account

    def success(account: Any) -> str:
        if account.privacy_accepted_at is None:
            return _with_next(request, "portal:welcome")
        return _next(request)

    return form_page(
        request,
        form=form,
        act=act,
        success=success,
        done_message="",
        title=_("Enter the code"),
        cancel_url=_with_next(request, "portal:login"),
        breadcrumbs=[],
        intro=_("We sent a six-digit code to %(phone)s.") % {"phone": mask_phone(phone)},
        submit_label=pgettext("portal", "Sign in"),
        template="portal/form.html",
        attempt=True,
    )


def welcome(request: HttpRequest) -> HttpResponse:
    """The first sign-in: a name, the community, a guardian for a child
    under 14, and the privacy notice. Nothing else is asked."""
    account = current_account(request)
    if account is None:
        return redirect(_with_next(request, "portal:login"))
    if account.privacy_accepted_at is not None:
        return redirect(_next(request))
    form = WelcomeForm(request.POST or None, initial={"name": account.name})
    return form_page(
        request,
        form=form,
        act=lambda data: accounts.account_register(account=account, **data),
        success=lambda _account: _next(request),
        done_message=_("Welcome. You can now use the station's services online."),
        title=_("Welcome"),
        cancel_url="",
        breadcrumbs=[],
        intro=_("Tell the station who you are. Only this is asked."),
        submit_label=_("Continue"),
        template="portal/welcome.html",
        extra=lambda: privacy_context(account),
        attempt=True,
    )


def privacy_context(account: Any) -> dict[str, Any]:
    return {
        "controller": accounts.station_of(account),
        "keep_months": settings.PORTAL_KEEP_MONTHS,
        "log_days": settings.AUDIT_RETENTION_DAYS,
        "code_minutes": settings.PORTAL_CODE_MINUTES,
        "idle_minutes": settings.PORTAL_IDLE_MINUTES,
        "guardian_age": settings.PORTAL_GUARDIAN_AGE,
    }


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html", privacy_context(current_account(request)))


@portal_login_required
def me(request: HttpRequest) -> HttpResponse:
    account = request.portal_account  # type: ignore[attr-defined]
    return render(request, "portal/me.html", {"account": account, "phone": mask_phone(account.phone)})


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    account = current_account(request)
    if account is not None:
        audit_record(
            actor=None,
            action=Action.PORTAL_SIGNOUT,
            target=account,
            unit=account.station,
            changes={"account": account.pk, "phone": mask_phone(account.phone)},
        )
        portal_sign_out(request)
        messages.success(request, _("You have signed out."))
    return redirect("portal:home")


@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    """Large text on or off: kept on the account, or in a cookie for a visitor."""
    large = request.POST.get("large_text") == "1"
    account = current_account(request)
    response = redirect(_next(request))
    if account is not None:
        accounts.account_settings(account=account, large_text=large)
    elif large:
        response.set_cookie(LARGE_TEXT_COOKIE, "1", max_age=365 * 86400, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE)
    return response
