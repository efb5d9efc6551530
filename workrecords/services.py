"""Writes for work records: each a transaction with one audit event."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from core.access import Perm, require, require_unit_in_scope
from core.roles import Level, Role
from workrecords import notices
from workrecords.models import (
    JointMeeting,
    NeedsSurvey,
    ReportingEntry,
    ReportingKind,
    SatisfactionSurvey,
    ScoringSheet,
    SelfEvaluation,
    SelfEvaluationScore,
    SummaryRead,
    Supervision,
    SurveyKind,
    SurveyResponse,
    TeamMeeting,
    Venue,
    WeeklySummary,
)


def _check_unit(unit: Any) -> None:
    if unit is None or unit.level == Level.DISTRICT:
        raise ValidationError({"unit": _("Choose a station or a community room.")})


def _check_date(day: date | None) -> None:
    if day is None:
        raise ValidationError({"date": _("Enter a date.")})
    if day > timezone.localdate() + timedelta(days=366):
        raise ValidationError({"date": _("The date is too far in the future.")})


def _create(*, actor: Any, model: type[Model], action: Action, fields: dict[str, Any]) -> Any:
    require(actor, Perm.RECORD_EDIT)
    unit = fields.get("unit")
    require_unit_in_scope(actor, unit)
    _check_unit(unit)
    if "date" in fields:
        _check_date(fields["date"])
    obj = model(**fields)
    if hasattr(obj, "recorded_by_id") and getattr(actor, "is_authenticated", False):
        setattr(obj, "recorded_by", actor)  # noqa: B010 (not every record kind has the field)
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, action=action, target=obj, changes=diff({}, snapshot(obj, list(fields))))
    return obj


@transaction.atomic
def meeting_create(
    *, actor: Any, unit: Any, date: date, attendees: str, minutes: str, decisions: str = ""
) -> TeamMeeting:
    return _create(
        actor=actor,
        model=TeamMeeting,
        action=Action.MEETING_CREATE,
        fields={"unit": unit, "date": date, "attendees": attendees, "minutes": minutes, "decisions": decisions},
    )


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@transaction.atomic
def summary_create(*, actor: Any, unit: Any, date: date, summary: str, next_week_plan: str) -> WeeklySummary:
    monday = week_start(date) if date else date
    if WeeklySummary.objects.filter(unit=unit, date=monday).exists():
        raise ValidationError({"date": _("This unit already has a summary for the week of %(day)s.") % {"day": monday}})
    created = _create(
        actor=actor,
        model=WeeklySummary,
        action=Action.SUMMARY_CREATE,
        fields={"unit": unit, "date": monday, "summary": summary, "next_week_plan": next_week_plan},
    )
    notices.summary_sent(summary=created, actor=actor)
    return created


def may_mark_read(user: Any, summary: WeeklySummary) -> bool:
    """Station leads and the guidance centre (district level) read summaries;
    the author's own colleagues do not count as readers."""
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return False
    if not user.unit.contains(summary.unit):
        return False
    return user.role == Role.STATION_LEAD or user.unit.level == Level.DISTRICT


@transaction.atomic
def summary_mark_read(*, actor: Any, summary: WeeklySummary) -> SummaryRead:
    require(actor, Perm.VIEW)
    require_unit_in_scope(actor, summary.unit)
    if not may_mark_read(actor, summary):
        raise ValidationError({"reader": _("Only the station lead or the guidance centre marks summaries as read.")})
    try:
        with transaction.atomic():
            receipt = SummaryRead.objects.create(summary=summary, reader=actor)
    except IntegrityError:
        return SummaryRead.objects.get(summary=summary, reader=actor)
    audit_record(actor=actor, action=Action.SUMMARY_READ, target=summary)
    return receipt


@transaction.atomic
def supervision_create(
    *, actor: Any, unit: Any, date: date, supervisor: str, topics: str, follow_ups: str = ""
) -> Supervision:
    return _create(
        actor=actor,
        model=Supervision,
        action=Action.SUPERVISION_CREATE,
        fields={"unit": unit, "date": date, "supervisor": supervisor, "topics": topics, "follow_ups": follow_ups},
    )


@transaction.atomic
def reporting_create(
    *, actor: Any, unit: Any, date: date, kind: str, subject: str, notes: str = "", adopted: bool | None = None
) -> ReportingEntry:
    if kind != ReportingKind.PROPOSAL and adopted is not None:
        raise ValidationError({"adopted": _("Only a proposal is adopted or not.")})
    return _create(
        actor=actor,
        model=ReportingEntry,
        action=Action.REPORTING_CREATE,
        fields={"unit": unit, "date": date, "kind": kind, "subject": subject, "notes": notes, "adopted": adopted},
    )


@transaction.atomic
def joint_meeting_create(
    *, actor: Any, unit: Any, date: date, participants: str, topics: str, resolutions: str = ""
) -> JointMeeting:
    return _create(
        actor=actor,
        model=JointMeeting,
        action=Action.JOINTMEETING_CREATE,
        fields={"unit": unit, "date": date, "participants": participants, "topics": topics, "resolutions": resolutions},
    )


def _questions(text_or_list: Any) -> list[str]:
    if isinstance(text_or_list, str):
        return [q.strip() for q in text_or_list.splitlines() if q.strip()]
    return [str(q).strip() for q in text_or_list or [] if str(q).strip()]


@transaction.atomic
def survey_create(
    *,
    actor: Any,
    unit: Any,
    date: date,
    kind: str,
    title: str,
    questions: Any = "",
    participants: int = 0,
    notes: str = "",
) -> NeedsSurvey:
    qs = _questions(questions)
    if kind == SurveyKind.QUESTIONNAIRE and not qs:
        raise ValidationError({"questions": _("A questionnaire needs at least one question, one per line.")})
    if kind != SurveyKind.QUESTIONNAIRE and not notes.strip():
        raise ValidationError({"notes": _("Write down what the interview or focus group found.")})
    return _create(
        actor=actor,
        model=NeedsSurvey,
        action=Action.SURVEY_CREATE,
        fields={
            "unit": unit,
            "date": date,
            "kind": kind,
            "title": title,
            "questions": qs,
            "participants": participants,
            "notes": notes,
        },
    )


@transaction.atomic
def survey_answer(*, actor: Any, survey: NeedsSurvey, answers: list[str], respondent: str = "") -> SurveyResponse:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, survey.unit)
    if survey.kind != SurveyKind.QUESTIONNAIRE:
        raise ValidationError({"answers": _("Only a questionnaire takes answers.")})
    if len(answers) != len(survey.questions) or not any(a.strip() for a in answers):
        raise ValidationError({"answers": _("Answer at least one question.")})
    response = SurveyResponse.objects.create(
        survey=survey, respondent=respondent, answers=[a.strip() for a in answers], recorded_by=actor
    )
    survey.participants = SurveyResponse.objects.filter(survey=survey).count()
    survey.save(update_fields=["participants"])
    audit_record(actor=actor, action=Action.SURVEY_ANSWER, target=survey, unit=survey.unit)
    return response


@transaction.atomic
def satisfaction_create(
    *,
    actor: Any,
    unit: Any,
    date: date,
    subject_type: str,
    subject: str,
    score: int,
    comment: str = "",
    source_type: str = "",
    source_id: str = "",
) -> SatisfactionSurvey:
    if score is None or not 1 <= int(score) <= 5:
        raise ValidationError({"score": _("The score must be between 1 and 5.")})
    return _create(
        actor=actor,
        model=SatisfactionSurvey,
        action=Action.SATISFACTION_CREATE,
        fields={
            "unit": unit,
            "date": date,
            "subject_type": subject_type,
            "subject": subject,
            "score": int(score),
            "comment": comment,
            "source_type": source_type,
            "source_id": source_id,
        },
    )


@transaction.atomic
def venue_create(
    *,
    actor: Any,
    unit: Any,
    name: str,
    address: str = "",
    capacity: int | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Venue:
    if (latitude is None) != (longitude is None):
        raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})
    return _create(
        actor=actor,
        model=Venue,
        action=Action.VENUE_CREATE,
        fields={
            "unit": unit,
            "name": name,
            "address": address,
            "capacity": capacity,
            "latitude": latitude,
            "longitude": longitude,
        },
    )


@transaction.atomic
def selfeval_create(
    *,
    actor: Any,
    unit: Any,
    date: date,
    sheet: ScoringSheet,
    period: str,
    scores: dict[int, tuple[Decimal, str]],
) -> SelfEvaluation:
    """`scores` maps a ScoringItem id to (points, evidence)."""
    items = {i.pk: i for i in sheet.items.all()}
    errors: dict[str, str] = {}
    for item_id, (points, _evidence) in scores.items():
        item = items.get(item_id)
        if item is None:
            errors[f"item_{item_id}"] = _("This item is not on the sheet.")
        elif points is None or points < 0 or points > item.max_points:
            errors[f"item_{item_id}"] = _("Score between 0 and %(max)s.") % {"max": item.max_points}
    if errors:
        raise ValidationError(errors)
    evaluation = _create(
        actor=actor,
        model=SelfEvaluation,
        action=Action.SELFEVAL_CREATE,
        fields={"unit": unit, "date": date, "sheet": sheet, "period": period},
    )
    rows = [
        SelfEvaluationScore(evaluation=evaluation, item=items[i], points=p, evidence=e) for i, (p, e) in scores.items()
    ]
    SelfEvaluationScore.objects.bulk_create(rows)
    evaluation.total = sum((r.points for r in rows), Decimal(0))
    evaluation.save(update_fields=["total"])
    return evaluation


def parse_sheet_lines(text: str) -> list[tuple[str, str, int]]:
    """`module | item | points` per line → items; raises with the line number."""
    items = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not parts[0] or not parts[1] or not parts[2].isdigit() or int(parts[2]) <= 0:
            raise ValidationError(
                {"items": _("Line %(n)s: write “module | item | points” with whole points above zero.") % {"n": number}}
            )
        items.append((parts[0][:40], parts[1][:200], int(parts[2])))
    if not items:
        raise ValidationError({"items": _("The sheet needs at least one item.")})
    return items


@transaction.atomic
def sheet_update(*, actor: Any, sheet: ScoringSheet, name: str, items: str) -> ScoringSheet:
    """Replace a sheet's items. A sheet that evaluations already use is kept
    as it was for them; the edit becomes a new sheet that is the default."""
    from workrecords.models import ScoringItem

    require(actor, Perm.CONFIG_MANAGE)
    rows = parse_sheet_lines(items)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the sheet a name.")})
    before = {"name": sheet.name, "items": [f"{i.module}|{i.name}|{i.max_points}" for i in sheet.items.all()]}
    if before == {"name": name, "items": [f"{m}|{n}|{p}" for m, n, p in rows]}:
        return sheet  # saved unchanged: no new sheet, and its name is still its own
    used = SelfEvaluation.objects.filter(sheet=sheet).exists()
    namesakes = ScoringSheet.objects.filter(name=name)
    if not used:  # a sheet saved in place keeps its own name
        namesakes = namesakes.exclude(pk=sheet.pk)
    if namesakes.exists():
        raise ValidationError({"name": _("Another sheet already has this name.")})
    if used:
        was_default = sheet.is_default
        sheet = ScoringSheet.objects.create(name=name, is_default=was_default)
        if was_default:
            ScoringSheet.objects.exclude(pk=sheet.pk).update(is_default=False)
    else:
        sheet.name = name
        sheet.save(update_fields=["name"])
        sheet.items.all().delete()
    ScoringItem.objects.bulk_create(
        [ScoringItem(sheet=sheet, module=m, name=n, max_points=p, order=i) for i, (m, n, p) in enumerate(rows)]
    )
    after = {"name": sheet.name, "items": [f"{m}|{n}|{p}" for m, n, p in rows]}
    audit_record(actor=actor, action=Action.SHEET_UPDATE, target=sheet, unit=actor.unit, changes=diff(before, after))
    return sheet
