"""Whom the grading area tells (notifications.api.notify): the worker a
recipient is assigned to, and the responsible worker of a recipient with a
major event. Called from grading/services, one line each."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from notifications.api import Event, mask_name, notify


def recipient_assigned(*, grade: Any, actor: Any) -> None:
    if grade.responsible_id is None or grade.responsible_id == actor.pk:
        return
    notify(
        event=Event.RECIPIENT_ASSIGNED,
        recipients=[grade.responsible_id],
        obj=grade.person,
        subject=mask_name(grade.person.name),
        link=reverse("grading:person", args=[grade.person_id]),
        unit=grade.unit,
        period=f"worker:{grade.responsible_id}",
    )


def major_event(*, event: Any, responsible_id: int | None) -> None:
    """Tell the responsible worker at once; the scheduler tells them again
    when the window nears its end, and the lead when it has passed."""
    notify(
        event=Event.MAJOR_EVENT,
        recipients=[responsible_id],
        obj=event,
        subject=mask_name(event.person.name),
        link=reverse("grading:person", args=[event.person_id]),
        unit=event.unit,
    )
