"""The portal's to-do items (registered in portal/contrib.py): help requests
and feedback residents sent, waiting in their station's queue. One grouped
query each, shared out by unit (core/todo.py), so a station's staff and the
district see theirs and nobody else's."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.access import Perm, can
from core.todo import TodoContext, TodoEntry, share_by_unit


def _workers(readers: list[Any]) -> list[Any]:
    return [r for r in readers if r.unit is not None and can(r, Perm.RECORD_EDIT)]


def help_pending(readers: list[Any], ctx: TodoContext) -> dict[int, list[TodoEntry]]:
    from portal.models import HelpRequest, IntakeStatus

    workers = _workers(readers)
    if not workers:
        return {}
    counts = dict(
        HelpRequest.objects.filter(status=IntakeStatus.RECEIVED)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return share_by_unit(workers, ctx, counts, reverse("portal_staff:queue"), label=_("Residents' help requests"))


def feedback_pending(readers: list[Any], ctx: TodoContext) -> dict[int, list[TodoEntry]]:
    from portal.models import Feedback, IntakeStatus

    workers = _workers(readers)
    if not workers:
        return {}
    counts = dict(
        Feedback.objects.filter(status=IntakeStatus.RECEIVED).values_list("unit_id").annotate(n=Count("id")).order_by()
    )
    url = reverse("portal_staff:queue") + "#feedback"
    return share_by_unit(workers, ctx, counts, url, label=_("Residents' feedback and complaints"))
