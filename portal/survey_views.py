"""Needs surveys by link: the public answer page (no account) and, for
staff, publishing or closing the link and its QR code."""

from __future__ import annotations

from typing import Any

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.context import client_ip
from core.access import Perm, get_in_scope_or_404, requires
from core.forms import form_page
from portal import surveys
from workrecords.models import NeedsSurvey
from workrecords.selectors import records_visible

ANSWERED = "portal_surveys_answered"


class SurveyForm(forms.Form):
    def __init__(self, *args: Any, asked: list[surveys.Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i, q in enumerate(asked):
            if q.options:
                self.fields[f"q{i}"] = forms.ChoiceField(
                    label=q.text, choices=[(o, o) for o in q.options], widget=forms.RadioSelect, required=False
                )
            else:
                self.fields[f"q{i}"] = forms.CharField(
                    label=q.text, max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
        self.n = len(asked)

    def answers(self) -> list[str]:
        return [self.cleaned_data.get(f"q{i}") or "" for i in range(self.n)]


def survey_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(f"{reverse('portal:survey_answer')}?t={token}")


def survey_answer(request: HttpRequest) -> HttpResponse:
    """Answer a survey by its link: once per browser session, no account."""
    link = surveys.link_for(request.GET.get("t", ""))
    if link is None or not surveys.is_open(link):
        return render(request, "portal/survey_closed.html", {"known": link is not None})
    survey = link.survey
    if link.pk in request.session.get(ANSWERED, []):
        return render(request, "portal/survey_thanks.html", {"survey": survey})
    form = SurveyForm(request.POST or None, asked=surveys.questions(survey))

    def act(_data: dict[str, Any]) -> Any:
        response = surveys.answer_submit(link=link, answers=form.answers(), ip=client_ip(request))
        request.session[ANSWERED] = [*request.session.get(ANSWERED, []), link.pk]
        return response

    return form_page(
        request,
        form=form,
        act=act,
        success=lambda _r: f"{reverse('portal:survey_answer')}?t={link.token}",
        done_message=_("Thank you: your answers were saved."),
        title=survey.title,
        cancel_url="",
        breadcrumbs=[],
        intro=_("No name is asked. Answer the questions you want to; the station counts the answers."),
        submit_label=_("Send my answers"),
        template="portal/form.html",
    )


def _survey(request: HttpRequest, survey_id: int) -> NeedsSurvey:
    return get_in_scope_or_404(records_visible(request.user, NeedsSurvey), request.user, pk=survey_id)


@require_POST
@requires(Perm.RECORD_EDIT)
def survey_link(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Publish the survey by link (again: a new link) or close its link."""
    survey = _survey(request, survey_id)
    try:
        if request.POST.get("close"):
            surveys.link_close(actor=request.user, survey=survey)
            messages.success(request, _("The survey's link is closed."))
        else:
            raw = request.POST.get("expires_on", "")
            expires_on = forms.DateField(required=False).clean(raw) if raw else None
            surveys.link_publish(actor=request.user, survey=survey, expires_on=expires_on)
            messages.success(request, _("The survey can now be answered by its link and QR code."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("workrecords:surveys_detail", survey.pk)


@requires(Perm.VIEW)
def survey_qr(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = _survey(request, survey_id)
    link = getattr(survey, "portal_link", None)
    if link is None or not surveys.is_open(link):
        raise Http404
    image = qrcode.make(survey_url(request, link.token), image_factory=qrcode.image.svg.SvgPathImage, border=2)
    response = HttpResponse(image.to_string(encoding="utf-8"), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
