"""The services area's to-do items (registered in casework/contrib.py):
plans and closures waiting for the reader's approval."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count
from django.urls import reverse

from core.access import Perm, can
from core.todo import TodoContext, TodoEntry, merge, share_by_unit


def approvals(readers: list[Any], ctx: TodoContext) -> dict[int, list[TodoEntry]]:
    """Cases awaiting approval in each approver's subtree: one grouped query."""
    from casework.models import Case, Pending

    approvers = [r for r in readers if can(r, Perm.APPROVE)]
    if not approvers:
        return {}
    by_kind: dict[str, dict[int, int]] = defaultdict(dict)
    rows = Case.objects.exclude(pending="").values_list("pending", "unit_id").annotate(n=Count("id")).order_by()
    for pending, unit_id, n in rows:
        by_kind[pending][unit_id] = n
    url = reverse("casework:case_list")
    return merge(
        share_by_unit(approvers, ctx, by_kind[Pending.PLAN], f"{url}?pending={Pending.PLAN}", label=Pending.PLAN.label),
        share_by_unit(
            approvers, ctx, by_kind[Pending.CLOSURE], f"{url}?pending={Pending.CLOSURE}", label=Pending.CLOSURE.label
        ),
    )
