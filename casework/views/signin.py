"""Sign-in by QR code: the public page a phone opens (no staff login), and the
staff's QR image, printable poster and on/off switch of an activity."""

from __future__ import annotations

from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from audit.context import client_ip
from casework import conf, selectors
from casework.models import Activity
from casework.services.signin import (
    SWITCHES,
    activity_signin,
    activity_signin_refused,
    activity_signin_switch,
    clean_phone,
)
from casework.signin import Opened, open_link, over_limit, phone_digest, signin_url
from core.access import Perm, get_in_scope_or_404, requires
from core.concurrency import Expired, once_token
from core.forms import form_page
from core.models import FormSubmission

# ---------------------------------------------------------------- the public page


def _facts(activity: Activity) -> dict[str, Any]:
    """What the page shows of an activity: nothing personal."""
    station = activity.unit.station
    agency = station.agency
    return {
        "title": activity.title,
        "starts_at": timezone.localtime(activity.starts_at),
        "ends_at": timezone.localtime(activity.ends_at),
        "venue": activity.venue,
        "station": station.name,
        "phone": agency.phone if agency is not None else "",
    }


def _done(activity: Activity) -> str:
    return _("Signed in: %(title)s") % {"title": activity.title}


def _answer(request: HttpRequest, opened: Opened, *, status: int = 200, **context: Any) -> HttpResponse:
    if request.headers.get("Accept", "").startswith("application/json"):
        body: dict[str, Any] = {"ok": status == 200, "message": context.get("message", "")}
        if context.get("errors"):
            body["errors"] = context["errors"]
        return JsonResponse(body, status=status)
    activity = opened.activity
    page = {
        "title": _("Sign in"),
        "facts": _facts(activity) if activity is not None else None,
        "refused": opened.message,
        "token": request.GET.get("t") or request.POST.get("t", ""),
        **context,
    }
    return render(request, "casework/signin_public.html", page, status=status)


@csrf_exempt  # no session or login rides on this post: the signed link and the limits guard it
@require_http_methods(["GET", "POST"])
def signin_page(request: HttpRequest) -> HttpResponse:
    token = request.GET.get("t") or request.POST.get("t", "")
    opened = open_link(token)
    if opened.refusal is not None:
        if request.method == "POST":
            activity_signin_refused(activity=opened.activity, reason=str(opened.refusal))
        return _answer(request, opened, status=200 if request.method == "GET" else 410, message=opened.message)
    if request.method == "GET":
        return _answer(request, opened)
    activity = opened.activity
    assert activity is not None
    data = request.POST
    try:
        once = once_token(data.get("_once"))
    except Expired:
        once = None  # a stale server token: the phone digest still signs the number in once
    if once and FormSubmission.objects.filter(token=once).exists():  # a retry of what was sent: the same answer
        return _answer(request, opened, message=_done(activity), done=True)
    try:
        phone = clean_phone(data.get("phone", ""))
    except ValidationError as exc:
        return _answer(request, opened, status=422, errors=exc.message_dict, message=exc.message_dict["phone"][0])
    if over_limit(ip=client_ip(request) or "", digest=phone_digest(phone)):
        minutes = max(1, conf.signin_rate()[2] // 60)
        message = _("Too many sign-ins from this phone or network. Wait %(m)s minutes and try again.") % {"m": minutes}
        activity_signin_refused(activity=activity, reason="rate")
        return _answer(request, opened, status=429, message=message)
    try:
        activity_signin(
            activity=activity,
            phone=phone,
            as_volunteer=data.get("kind") == "volunteer",
            name=data.get("name", ""),
            once=once,
        )
    except ValidationError as exc:
        message = " ".join(exc.messages)
        return _answer(request, opened, status=422, errors=exc.message_dict, message=message)
    return _answer(request, opened, message=_done(activity), done=True)


# ---------------------------------------------------------------- staff: QR code, poster, switch


def _activity(request: HttpRequest, activity_id: int) -> Activity:
    return get_in_scope_or_404(selectors.activities_visible(request.user), request.user, pk=activity_id)


def qr_svg(text: str) -> bytes:
    """The QR code of `text` as an SVG drawing (one path, no script, no style)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return image.to_string(encoding="utf-8")


@requires(Perm.VIEW)
def activity_qr(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    response = HttpResponse(qr_svg(signin_url(request, activity)), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(Perm.VIEW)
def activity_poster(request: HttpRequest, activity_id: int) -> HttpResponse:
    """A full page to print and put up at the door: the QR code, the activity and the station."""
    activity = _activity(request, activity_id)
    return render(
        request,
        "casework/signin_poster.html",
        {
            "title": _("Sign-in poster"),
            "activity": activity,
            "facts": _facts(activity),
            "url": signin_url(request, activity),
        },
    )


class SwitchForm(forms.Form):
    action = forms.ChoiceField(
        label=gettext_lazy("QR code"),
        choices=list(
            zip(
                SWITCHES,
                (
                    gettext_lazy("Switch sign-in on"),
                    gettext_lazy("Switch sign-in off"),
                    gettext_lazy("Renew the QR code (the old one stops working)"),
                ),
                strict=True,
            )
        ),
        widget=forms.RadioSelect,
    )


@requires(Perm.RECORD_EDIT)
def signin_switch(request: HttpRequest, activity_id: int) -> HttpResponse:
    activity = _activity(request, activity_id)
    url = reverse("casework:activity_detail", args=[activity.pk])
    return form_page(
        request,
        form=SwitchForm(request.POST or None, initial={"action": "off" if activity.signin_open else "on"}),
        act=lambda d: activity_signin_switch(actor=request.user, activity=activity, action=d["action"]),
        success=lambda _a: url,
        done_message=_("Sign-in by QR code updated."),
        title=_("Sign-in by QR code"),
        cancel_url=url,
        breadcrumbs=[(_("Activities"), reverse("casework:activity_list")), (activity.title, url)],
    )


def signin_rows(activity: Activity) -> list[dict[str, Any]]:
    """The activity page's list of who signed in by QR code, for staff in scope."""
    rows = []
    for s in activity.signins.select_related("signup__person", "signup__volunteer", "signup__service_record"):
        who = (s.signup.person or s.signup.volunteer) if s.signup is not None else None
        record = s.signup.service_record if s.signup is not None else None
        rows.append(
            {
                "at": s.signed_in_at,
                "kind": s.get_kind_display(),
                "name": who.name if who is not None else (s.name or "—"),
                "pending": record if record is not None and record.pending else None,
            }
        )
    return rows
