"""URL-walk entries for work records (see tests/leakwalk.py): one record of
each kind planted in station B with the CANARY in its text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from tests.leakwalk import CANARY, Walk


def _records(w: Walk) -> dict[str, Any]:
    from workrecords import models as m

    def make() -> dict[str, Any]:
        b, b1 = w.tree.station_b, w.tree.b1
        day = date(2026, 3, 2)
        sheet = m.ScoringSheet.objects.filter(is_default=True).first() or m.ScoringSheet.objects.create(
            name="walk", is_default=True
        )
        item = sheet.items.first() or m.ScoringItem.objects.create(sheet=sheet, module="m", name="i", max_points=10)
        evaluation = m.SelfEvaluation.objects.create(unit=b, date=day, sheet=sheet, period=CANARY, total=1)
        m.SelfEvaluationScore.objects.create(evaluation=evaluation, item=item, points=1, evidence=CANARY)
        return {
            "meeting_id": m.TeamMeeting.objects.create(unit=b, date=day, attendees=CANARY, minutes=CANARY),
            "summary_id": m.WeeklySummary.objects.create(unit=b, date=day, summary=CANARY, next_week_plan=CANARY),
            "supervision_id": m.Supervision.objects.create(unit=b, date=day, supervisor=CANARY, topics=CANARY),
            "entry_id": m.ReportingEntry.objects.create(unit=b, date=day, kind="proposal", subject=CANARY),
            "joint_id": m.JointMeeting.objects.create(unit=b, date=day, participants=CANARY, topics=CANARY),
            "survey_id": m.NeedsSurvey.objects.create(
                unit=b1, date=day, kind="questionnaire", title=CANARY, questions=[CANARY]
            ),
            "satisfaction_id": m.SatisfactionSurvey.objects.create(
                unit=b1, date=day, subject_type="activity", subject=CANARY, score=5
            ),
            "venue_id": m.Venue.objects.create(
                unit=b1, name=CANARY, latitude=Decimal("24.9"), longitude=Decimal("118.6")
            ),
            "evaluation_id": evaluation,
        }

    return w.once("workrecords", make)


def kwargs() -> dict[str, Callable[[Walk], Any]]:
    names = [
        "meeting_id",
        "summary_id",
        "supervision_id",
        "entry_id",
        "joint_id",
        "survey_id",
        "satisfaction_id",
        "venue_id",
        "evaluation_id",
    ]

    def pk_of(name: str) -> Callable[[Walk], Any]:
        return lambda w: _records(w)[name].pk

    return {name: pk_of(name) for name in names}


def populators() -> list[Callable[[Walk], Any]]:
    return [_records]
