"""Due dates of the follow-up: every write that moves a card, a visit or
a major event recomputes them here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Min
from django.utils import timezone

from grading.models import (
    CARD_RANK,
    Card,
    FollowUpPolicy,
    MajorEvent,
    PersonGrade,
)
from grading.rules import due_date


def _open_event_due(person_id: int) -> date | None:
    due = MajorEvent.objects.filter(person_id=person_id, resolved_by__isnull=True).aggregate(d=Min("due_at"))["d"]
    return timezone.localdate(due) if due else None


_UNSET: Any = object()


def refresh_due(grade: PersonGrade, policy: FollowUpPolicy, event_due: Any = _UNSET) -> None:
    if event_due is _UNSET:
        event_due = _open_event_due(grade.person_id)
    grade.card_rank = CARD_RANK[Card(grade.card)]
    grade.next_due = due_date(
        graded_on=grade.first_graded_on or timezone.localdate(grade.graded_at),
        card=grade.card,
        interval_days=policy.interval(grade.card),
        last_visit=grade.last_visit_on,
        event_due=event_due,
    )
