"""The receiving party's answer page of a referral (转介): opened from the
link the case worker sent, with no staff account. It shows the minimum — the
station, the resident's masked name, the reason and what is asked, never an
ID number — and takes one answer. Every use is rate-limited per address and
audited (actor None, the referral as target)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audit.context import client_ip
from casework import conf, referral_link
from casework.forms_together import AnswerForm
from casework.models import Referral
from casework.services.referrals import referral_answer, referral_link_refused, referral_link_viewed
from core.forms import form_page
from notifications.api import mask_name

TEMPLATE = "casework/referral_public.html"


def _facts(referral: Referral) -> dict[str, Any]:
    station = referral.unit.station
    return {
        "station": station.name if station is not None else referral.unit.name,
        "partner": referral.organisation,
        "resident": mask_name(referral.case.person.name),
        "referred_on": referral.referred_on,
        "reason": referral.reason,
        "asked": referral.asked,
    }


def _guard(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "same-origin"  # the token is in the address: never sent to another site
    response["X-Robots-Tag"] = "noindex"
    return response


def _page(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    return _guard(render(request, TEMPLATE, {"title": _("Referral"), **context}, status=status))


@never_cache
@require_http_methods(["GET", "POST"])
def answer_page(request: HttpRequest) -> HttpResponse:
    ip = client_ip(request)
    token = request.GET.get("t", "")
    if referral_link.over_limit(ip or ""):
        minutes = max(1, conf.referral_rate()[1] // 60)
        return _page(
            request,
            status=429,
            refused=_("Too many requests from this network. Wait %(m)s minutes and try again.") % {"m": minutes},
        )
    if not token and request.GET.get("answered") == "1":
        return _page(request, done=True)
    opened = referral_link.open_link(token)
    if opened.refusal is not None:
        referral_link_refused(referral=opened.referral, reason=str(opened.refusal), ip=ip)
        return _page(request, status=200 if request.method == "GET" else 410, refused=opened.message)
    referral = opened.referral
    assert referral is not None
    if request.method == "GET":
        referral_link_viewed(referral=referral, ip=ip)
    done_url = reverse("referrals_public:answer") + "?answered=1"
    return _guard(
        form_page(
            request,
            form=AnswerForm(request.POST or None),
            act=lambda d: referral_answer(token=token, ip=ip, **d),
            success=lambda _r: done_url,
            done_message="",
            title=_("Referral"),
            cancel_url="",
            breadcrumbs=[],
            template=TEMPLATE,
            extra=lambda: {"facts": _facts(referral), "token": token},
        )
    )
