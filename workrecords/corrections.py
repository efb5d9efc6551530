"""Corrections of work records after they were saved: one `<kind>_update`
service per kind of workrecords.kinds.KINDS, each in one transaction writing
its audit event with the field diff (nothing is written when nothing changed).

Who may correct a record (`may_correct`): whoever recorded it, the station
lead of its station and the district administrator, each within their scope
and with `Perm.RECORD_EDIT`. A colleague corrects a record through its author
or the lead, so that what a person signed stays theirs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from core.access import Perm, can, require, require_unit_in_scope, unit_in_scope
from core.roles import Role
from workrecords.models import NeedsSurvey, ReportingEntry, ReportingKind, SurveyKind, WeeklySummary
from workrecords.services import _check_date, _check_unit, _questions, week_start

# Roles that correct any record in their scope, beside the record's author.
CORRECTORS = frozenset({Role.STATION_LEAD, Role.DISTRICT_ADMIN})

MEETING_FIELDS = ("unit", "date", "attendees", "minutes", "decisions")
SUMMARY_FIELDS = ("unit", "date", "summary", "next_week_plan")
SUPERVISION_FIELDS = ("unit", "date", "supervisor", "topics", "follow_ups")
REPORTING_FIELDS = ("unit", "date", "kind", "subject", "notes", "adopted")
JOINT_FIELDS = ("unit", "date", "participants", "topics", "resolutions")
SURVEY_FIELDS = ("unit", "date", "kind", "title", "questions", "participants", "notes")
# What the response was about (source_type/source_id, set by the page that linked here) stays.
SATISFACTION_FIELDS = ("unit", "date", "subject_type", "subject", "score", "comment")
VENUE_FIELDS = ("unit", "name", "address", "capacity", "latitude", "longitude")


def may_correct(user: Any, record: Any) -> bool:
    if not can(user, Perm.RECORD_EDIT) or not unit_in_scope(user, record.unit):
        return False
    return record.recorded_by_id == user.pk or user.role in CORRECTORS


def _update(
    *,
    actor: Any,
    record: Model,
    action: Action,
    names: tuple[str, ...],
    fields: dict[str, Any],
    check: Callable[[Any], None] | None = None,
) -> Any:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, getattr(record, "unit", None))
    if not may_correct(actor, record):
        raise PermissionDenied
    unknown = set(fields) - set(names)
    if unknown:
        raise TypeError(f"{type(record).__name__} has no correctable fields {sorted(unknown)}")
    if "unit" in fields:
        require_unit_in_scope(actor, fields["unit"])
        _check_unit(fields["unit"])
    if "date" in fields:
        _check_date(fields["date"])
    before = snapshot(record, names)
    for name, value in fields.items():
        setattr(record, name, value)
    if check is not None:
        check(record)
    changes = diff(before, snapshot(record, names))
    if not changes:
        return record
    setattr(record, "updated_by", actor)  # noqa: B010 (every correctable kind has both fields)
    setattr(record, "updated_at", timezone.now())  # noqa: B010
    record.full_clean()
    record.save()
    audit_record(actor=actor, action=action, target=record, changes=changes)
    return record


@transaction.atomic
def meeting_update(*, actor: Any, record: Any, **fields: Any) -> Any:
    return _update(actor=actor, record=record, action=Action.MEETING_UPDATE, names=MEETING_FIELDS, fields=fields)


def _check_summary(summary: WeeklySummary) -> None:
    summary.date = week_start(summary.date)
    if WeeklySummary.objects.filter(unit=summary.unit, date=summary.date).exclude(pk=summary.pk).exists():
        raise ValidationError(
            {"date": _("This unit already has a summary for the week of %(day)s.") % {"day": summary.date}}
        )


@transaction.atomic
def summary_update(*, actor: Any, record: Any, **fields: Any) -> Any:
    return _update(
        actor=actor,
        record=record,
        action=Action.SUMMARY_UPDATE,
        names=SUMMARY_FIELDS,
        fields=fields,
        check=_check_summary,
    )


@transaction.atomic
def supervision_update(*, actor: Any, record: Any, **fields: Any) -> Any:
    return _update(
        actor=actor, record=record, action=Action.SUPERVISION_UPDATE, names=SUPERVISION_FIELDS, fields=fields
    )


def _check_reporting(entry: ReportingEntry) -> None:
    if entry.kind != ReportingKind.PROPOSAL and entry.adopted is not None:
        raise ValidationError({"adopted": _("Only a proposal is adopted or not.")})


@transaction.atomic
def reporting_update(*, actor: Any, record: Any, **fields: Any) -> Any:
    return _update(
        actor=actor,
        record=record,
        action=Action.REPORTING_UPDATE,
        names=REPORTING_FIELDS,
        fields=fields,
        check=_check_reporting,
    )


@transaction.atomic
def reporting_set_adopted(*, actor: Any, entry: ReportingEntry, adopted: bool | None) -> ReportingEntry:
    """The proposal's outcome, set when the street decides (often weeks after the entry)."""
    if entry.kind != ReportingKind.PROPOSAL:
        raise ValidationError({"adopted": _("Only a proposal is adopted or not.")})
    return _update(  # type: ignore[no-any-return]
        actor=actor,
        record=entry,
        action=Action.REPORTING_ADOPTED,
        names=("adopted",),
        fields={"adopted": adopted},
    )


@transaction.atomic
def joint_meeting_update(*, actor: Any, record: Any, **fields: Any) -> Any:
    return _update(actor=actor, record=record, action=Action.JOINTMEETING_UPDATE, names=JOINT_FIELDS, fields=fields)


def _check_survey(survey: NeedsSurvey) -> None:
    survey.questions = _questions(survey.questions)
    if survey.kind == SurveyKind.QUESTIONNAIRE and not survey.questions:
        raise ValidationError({"questions": _("A questionnaire needs at least one question, one per line.")})
    if survey.kind != SurveyKind.QUESTIONNAIRE and not survey.notes.strip():
        raise ValidationError({"notes": _("Write down what the interview or focus group found.")})
    answered = survey.responses.count() if survey.pk else 0
    if answered:
        # Answers are kept question by question: rewording is fine, a new list is not.
        stored = NeedsSurvey.objects.get(pk=survey.pk)
        if survey.kind != SurveyKind.QUESTIONNAIRE or len(survey.questions) != len(stored.questions):
            raise ValidationError(
                {
                    "questions": _("%(n)s people have answered: the questions can be reworded, not added or removed.")
                    % {"n": answered}
                }
            )
        survey.participants = answered  # counted from the answers, as when they were recorded


@transaction.atomic
def survey_update(*, actor: Any, record: Any, **fields: Any) -> Any:
    return _update(
        actor=actor, record=record, action=Action.SURVEY_UPDATE, names=SURVEY_FIELDS, fields=fields, check=_check_survey
    )


def _check_score(response: Any) -> None:
    if response.score is None or not 1 <= int(response.score) <= 5:
        raise ValidationError({"score": _("The score must be between 1 and 5.")})


@transaction.atomic
def satisfaction_update(*, actor: Any, record: Any, **fields: Any) -> Any:
    return _update(
        actor=actor,
        record=record,
        action=Action.SATISFACTION_UPDATE,
        names=SATISFACTION_FIELDS,
        fields=fields,
        check=_check_score,
    )


def _check_position(venue: Any) -> None:
    if (venue.latitude is None) != (venue.longitude is None):
        raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})


@transaction.atomic
def venue_update(*, actor: Any, record: Any, **fields: Any) -> Any:
    return _update(
        actor=actor,
        record=record,
        action=Action.MAP_VENUE_UPDATE,
        names=VENUE_FIELDS,
        fields=fields,
        check=_check_position,
    )


# The fields each kind's edit form may change (the rest of a form's data is not the record's).
FIELDS: dict[Callable[..., Any], tuple[str, ...]] = {
    meeting_update: MEETING_FIELDS,
    summary_update: SUMMARY_FIELDS,
    supervision_update: SUPERVISION_FIELDS,
    reporting_update: REPORTING_FIELDS,
    joint_meeting_update: JOINT_FIELDS,
    survey_update: SURVEY_FIELDS,
    satisfaction_update: SATISFACTION_FIELDS,
    venue_update: VENUE_FIELDS,
}
