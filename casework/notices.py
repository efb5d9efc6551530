"""Whom the services area tells about a case (notifications.api.notify):
the approvers when a plan or a closure awaits approval, the case worker
when it is decided, and a worker a case is handed to. Called from
casework/services/cases.py, one line per step, inside its transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from core.roles import Role
from notifications.api import Event, mask_name, notify

# A move of the stage table → the event it tells, and whether it goes to the
# approvers (else the case worker).
MOVE_EVENTS: dict[str, tuple[Event, bool]] = {
    "submit_plan": (Event.PLAN_SUBMITTED, True),
    "approve_plan": (Event.PLAN_APPROVED, False),
    "return_plan": (Event.PLAN_RETURNED, False),
    "request_closure": (Event.CLOSURE_REQUESTED, True),
    "approve_closure": (Event.CLOSURE_APPROVED, False),
    "return_closure": (Event.CLOSURE_RETURNED, False),
}


def _subject(case: Any) -> str:
    return f"{case.number} {mask_name(case.person.name)}"


def approvers(case: Any) -> list[Any]:
    """The case's supervisor (督导) and the leads of its station."""
    leads = list(get_user_model().objects.filter(role=Role.STATION_LEAD, unit=case.unit.station, is_active=True))
    return [*leads, *([case.supervisor] if case.supervisor_id else [])]


def case_moved(*, case: Any, action: str, actor: Any) -> None:
    if action not in MOVE_EVENTS:
        return
    event, to_approvers = MOVE_EVENTS[action]
    recipients = approvers(case) if to_approvers else [case.worker]
    n_moves = case.transitions.count()  # a plan submitted again after a return is news again
    notify(
        event=event,
        recipients=[r for r in recipients if r.pk != actor.pk],
        obj=case,
        subject=_subject(case),
        link=reverse("casework:case_detail", args=[case.pk]),
        unit=case.unit,
        period=str(n_moves),
    )


def case_assigned(*, case: Any, worker: Any, actor: Any) -> None:
    if worker.pk == actor.pk:
        return
    notify(
        event=Event.CASE_ASSIGNED,
        recipients=[worker],
        obj=case,
        subject=_subject(case),
        link=reverse("casework:case_detail", args=[case.pk]),
        unit=case.unit,
        period=f"worker:{worker.pk}",
    )
