"""The matching area's to-do items (registered in matching/contrib.py):
service tasks due, claimed micro-wishes waiting for fulfilment, and a
matching run's proposals waiting for review."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.access import Perm, can
from core.todo import TodoContext, TodoEntry, merge, share_by_unit


def _workers(readers: list[Any]) -> list[Any]:
    return [r for r in readers if r.unit is not None and can(r, Perm.RECORD_EDIT)]


def tasks_due(readers: list[Any], ctx: TodoContext) -> dict[int, list[TodoEntry]]:
    """Assigned tasks due by the end of this week, per unit: one query."""
    from matching.models import ServiceTask, TaskStatus

    readers = _workers(readers)
    if not readers:
        return {}
    week_end = ctx.today + dt.timedelta(days=6 - ctx.today.weekday())
    counts = dict(
        ServiceTask.objects.filter(status=TaskStatus.ASSIGNED, due_date__lte=week_end)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    url = f"{reverse('matching:task_list')}?status={TaskStatus.ASSIGNED}&due_until={week_end.isoformat()}"
    return share_by_unit(readers, ctx, counts, url, label=_("Service tasks due this week"))


def wishes_claimed(readers: list[Any], ctx: TodoContext) -> dict[int, list[TodoEntry]]:
    """Claimed wishes not yet fulfilled: whoever published one sees theirs,
    leads and the district their subtree's (one query)."""
    from matching.models import Wish, WishStatus

    readers = _workers(readers)
    if not readers:
        return {}
    by_unit: dict[int, int] = defaultdict(int)
    by_publisher: dict[int, int] = defaultdict(int)
    for unit_id, publisher_id, n in (
        Wish.objects.filter(status=WishStatus.CLAIMED)
        .values_list("unit_id", "published_by_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        by_unit[unit_id] += n
        if publisher_id is not None:
            by_publisher[publisher_id] += n
    url = f"{reverse('matching:wish_list')}?status={WishStatus.CLAIMED}"
    label = _("Claimed micro-wishes to fulfil")
    publishers = [r for r in readers if r.pk in by_publisher and not can(r, Perm.APPROVE)]
    overseers = [r for r in readers if can(r, Perm.APPROVE)]
    mine = {r.pk: [TodoEntry(by_publisher[r.pk], url, label)] for r in publishers if ctx.sees(r, r.unit_id)}
    return merge(mine, share_by_unit(overseers, ctx, by_unit, url, label=label))


def proposals_to_review(readers: list[Any], ctx: TodoContext) -> dict[int, list[TodoEntry]]:
    """Proposals of finished runs still waiting for a worker's decision."""
    from matching.models import Proposal, ProposalStatus

    readers = _workers(readers)
    if not readers:
        return {}
    counts = dict(
        Proposal.objects.filter(status=ProposalStatus.PROPOSED)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return share_by_unit(
        readers, ctx, counts, reverse("matching:run_list"), label=_("Matching proposals waiting for review")
    )
