"""The projects area's to-do item and home figure (registered in
projects/contrib.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import Perm, can
from core.roles import Role
from core.todo import TodoContext, TodoEntry


def expenditures_to_approve(readers: list[Any], ctx: TodoContext) -> dict[int, list[TodoEntry]]:
    """Expenditures waiting for a station lead's approval: one entry per
    project, for the leads whose station it lies in (one grouped query)."""
    from projects.models import Expenditure, ExpenditureStatus

    readers = [r for r in readers if r.role == Role.STATION_LEAD and can(r, Perm.SPENDING_APPROVE)]
    if not readers:
        return {}
    rows = list(
        Expenditure.objects.filter(status=ExpenditureStatus.PENDING)
        .values("project_id", "project__name", "project__unit_id")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by("project__name")
    )
    out: dict[int, list[TodoEntry]] = {}
    for r in readers:
        for row in rows:
            if ctx.sees(r, row["project__unit_id"]):
                out.setdefault(r.pk, []).append(
                    TodoEntry(
                        row["n"],
                        reverse("projects:project_detail", args=[row["project_id"]]) + "#spending",
                        _("Expenditures to approve: %(project)s (¥%(total)s)")
                        % {"project": row["project__name"], "total": row["total"]},
                    )
                )
    return out


def running_projects(user: Any) -> int:
    from projects.selectors import projects_visible

    today = timezone.localdate()
    return projects_visible(user).filter(starts_on__lte=today, ends_on__gte=today).count()
