"""The Party-building to-do item: co-building commitments past their due
date and not delivered, for the station lead (and the district, per station)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from core.todo import TodoContext, TodoEntry, overview, share_by_unit


def overdue_commitments(readers: list[Any], ctx: TodoContext) -> dict[int, list[TodoEntry]]:
    """One grouped query whatever the number of readers."""
    from partybuilding.models import Commitment

    readers = [r for r in readers if r.unit is not None and (r.role == Role.STATION_LEAD or overview(r))]
    if not readers:
        return {}
    counts = dict(
        Commitment.objects.filter(delivered_on__isnull=True, due_on__lt=ctx.today)
        .order_by()
        .values("agreement__unit")
        .annotate(n=Count("pk"))
        .values_list("agreement__unit", "n")
    )
    if not counts:
        return {}
    url = reverse("partybuilding:agreements") + "?overdue=1"
    return share_by_unit(readers, ctx, counts, url, label=_("Co-building commitments overdue"), urgent=True)
