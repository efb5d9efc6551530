"""Needs surveys answered by link and QR code, without an account.

A questionnaire's questions are lines of text (workrecords.NeedsSurvey); a
line ending in options between square brackets is a choice question:

    您最需要哪类服务？[助餐 | 陪诊 | 家政保洁]

Answers are saved as the survey's own SurveyResponse rows (the chosen
option's words, or the text typed), so the station's figures keep one
source; the staff side shows the tallies on the survey's page."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope
from portal import limits
from portal.models import SurveyLink
from portal.signin import local_time
from workrecords.models import NeedsSurvey, SurveyKind, SurveyResponse

_CHOICES = re.compile(r"^(?P<text>.*?)\s*[\[［](?P<options>[^\]］]+)[\]］]\s*$")
_SPLIT = re.compile(r"\s*[|｜/／、]\s*")


@dataclass(frozen=True)
class Question:
    text: str
    options: tuple[str, ...] = ()  # empty: a free-text question


def question(line: str) -> Question:
    found = _CHOICES.match(line.strip())
    if found:
        options = tuple(o for o in _SPLIT.split(found.group("options").strip()) if o)
        if len(options) >= 2:
            return Question(found.group("text").strip() or line.strip(), options)
    return Question(line.strip())


def questions(survey: NeedsSurvey) -> list[Question]:
    return [question(str(q)) for q in survey.questions]


def is_open(link: SurveyLink | None, *, today: date | None = None) -> bool:
    if link is None or not link.active:
        return False
    return link.expires_on is None or link.expires_on >= (today or timezone.localdate())


@transaction.atomic
def link_publish(*, actor: Any, survey: NeedsSurvey, expires_on: date | None = None) -> SurveyLink:
    """Open the survey's link (a new token each time: an old QR code stops working)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, survey.unit)
    if survey.kind != SurveyKind.QUESTIONNAIRE or not survey.questions:
        raise ValidationError(_("Only a questionnaire with questions can be published by link."))
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError({"expires_on": _("The closing day cannot be in the past.")})
    link, _created = SurveyLink.objects.update_or_create(
        survey=survey,
        defaults={"token": secrets.token_urlsafe(32), "active": True, "expires_on": expires_on, "created_by": actor},
    )
    audit_record(actor=actor, action=Action.PORTAL_SURVEY_PUBLISH, target=survey, unit=survey.unit)
    return link


@transaction.atomic
def link_close(*, actor: Any, survey: NeedsSurvey) -> None:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, survey.unit)
    SurveyLink.objects.filter(survey=survey).update(active=False)
    audit_record(actor=actor, action=Action.PORTAL_SURVEY_CLOSE, target=survey, unit=survey.unit)


def link_for(token: str) -> SurveyLink | None:
    if not token or len(token) > 64:
        return None
    return SurveyLink.objects.select_related("survey", "survey__unit").filter(token=token).first()


@transaction.atomic
def answer_submit(
    *, link: SurveyLink, answers: list[str], ip: str | None, now: datetime | None = None
) -> SurveyResponse:
    """One respondent's answers, checked against the questions (a choice
    must be one of its options), limited per client address."""
    now = now or timezone.now()
    if not is_open(link, today=timezone.localdate(now)):
        raise ValidationError(_("This survey is closed."))
    survey = link.survey
    asked = questions(survey)
    answers = [str(a or "").strip()[:1000] for a in answers]
    if len(answers) != len(asked):
        raise ValidationError(_("Answer the questions of this survey."))
    errors: dict[str, str] = {}
    for i, (q, a) in enumerate(zip(asked, answers, strict=True)):
        if a and q.options and a not in q.options:
            errors[f"q{i}"] = _("Choose one of the answers offered.")
    if not any(answers):
        errors["q0"] = _("Answer at least one question.")
    if errors:
        raise ValidationError(errors)
    address = ip or "unknown"
    until = limits.retry_at(
        limits.SURVEY_ADDRESS, address, settings.PORTAL_SURVEY_ANSWERS_PER_ADDRESS_HOUR, limits.HOUR, now=now
    )
    if until is not None:
        raise ValidationError(
            _("Too many answers came from your connection in the last hour. Try again after %(time)s.")
            % {"time": local_time(until)}
        )
    limits.hit(limits.SURVEY_ADDRESS, address, now=now)
    response = SurveyResponse.objects.create(survey=survey, respondent=_("answered online"), answers=answers)
    survey.participants = SurveyResponse.objects.filter(survey=survey).count()
    survey.save(update_fields=["participants"])
    audit_record(actor=None, action=Action.PORTAL_SURVEY_ANSWER, target=survey, unit=survey.unit)
    return response


@dataclass
class Tally:
    question: Question
    counts: list[tuple[str, int]] = field(default_factory=list)  # a choice question: (option, how many)
    texts: list[str] = field(default_factory=list)  # a free-text question: the answers given
    other: int = 0  # answers to a choice question that are none of its options (typed by staff)


def tallies(survey: NeedsSurvey) -> list[Tally]:
    """Per question: how many chose each option, or the texts written."""
    out = [Tally(q, counts=[(o, 0) for o in q.options]) for q in questions(survey)]
    for answers in SurveyResponse.objects.filter(survey=survey).values_list("answers", flat=True):
        for tally, answer in zip(out, answers or [], strict=False):
            answer = str(answer or "").strip()
            if not answer:
                continue
            if tally.question.options:
                if answer in tally.question.options:
                    i = tally.question.options.index(answer)
                    tally.counts[i] = (answer, tally.counts[i][1] + 1)
                else:
                    tally.other += 1
            else:
                tally.texts.append(answer)
    return out
