"""The receiving party's answer page of a referral (转介): opened from the
link the case worker sent, with no staff account. It shows the minimum — the
station, the resident's masked name, the reason and what is asked, never an
ID number — and takes one answer. Every use is rate-limited per address and
audited (actor None, the referral as target)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audit.context import client_ip
from casework import conf, referral_link
from casework.forms_together import AnswerForm
from casework.models import Referral
from casework.services.referrals import referral_answer, referral_link_refused, referral_link_viewed
from core.forms import apply_errors
from notifications.api import mask_name


def _facts(referral: Referral) -> dict[str, Any]:
    station = referral.unit.station
    return {
        "station": station.name if station is not None else referral.unit.name,
        "partner": referral.organisation,
        "resident": mask_name(referral.case.person.name),
        "referred_on": referral.referred_on,
        "reason": referral.reason,
        "asked": referral.asked,
        "contact": referral.contact,
    }


def _page(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    response = render(request, "casework/referral_public.html", {"title": _("Referral"), **context}, status=status)
    response["Referrer-Policy"] = "same-origin"  # the token is in the address: never sent to another site
    response["X-Robots-Tag"] = "noindex"
    return response


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
    opened = referral_link.open_link(token)
    if opened.refusal is not None:
        referral_link_refused(referral=opened.referral, reason=str(opened.refusal), ip=ip)
        return _page(request, status=200 if request.method == "GET" else 410, refused=opened.message)
    referral = opened.referral
    assert referral is not None
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            done = referral_answer(token=token, ip=ip, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _page(request, done=True, status_label=done.get_status_display(), facts=_facts(done))
    elif request.method == "GET":
        referral_link_viewed(referral=referral, ip=ip)
    return _page(request, facts=_facts(referral), form=form, token=token, status=422 if form.errors else 200)
