"""The records that belong to a project, as the user may see them (each
area's own scoped selector): activities, groups, micro-wishes, service tasks
and ledger entries, newest first, a few of each with their total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.selectors import activities_visible, groups_visible
from matching.selectors import tasks_visible, wishes_visible
from partners.selectors import entries_visible

SHOWN = 10


@dataclass
class Linked:
    key: str
    label: Any
    total: int
    rows: list[dict[str, Any]]
    list_url: str


def _rows(qs: Any, row: Any) -> tuple[int, list[dict[str, Any]]]:
    items = list(qs[: SHOWN + 1])
    total = len(items) if len(items) <= SHOWN else qs.count()
    return total, [row(x) for x in items[:SHOWN]]


def linked_records(user: Any, project: Any) -> list[Linked]:
    out = []
    specs = [
        (
            "activities",
            _("Activities"),
            activities_visible(user).filter(project=project).order_by("-starts_at", "-id"),
            lambda a: {
                "label": a.title,
                "date": a.starts_at,
                "status": a.get_status_display(),
                "url": reverse("casework:activity_detail", args=[a.pk]),
            },
            "casework:activity_list",
        ),
        (
            "groups",
            _("Groups"),
            groups_visible(user).filter(project=project).order_by("-id"),
            lambda g: {
                "label": g.name,
                "date": None,
                "status": "",
                "url": reverse("casework:group_detail", args=[g.pk]),
            },
            "casework:group_list",
        ),
        (
            "wishes",
            _("Micro-wishes"),
            wishes_visible(user).filter(project=project).order_by("-id"),
            lambda w: {
                "label": w.title,
                "date": w.fulfilled_on,
                "status": w.get_status_display(),
                "url": reverse("matching:wish_detail", args=[w.pk]),
            },
            "matching:wish_list",
        ),
        (
            "tasks",
            _("Service tasks"),
            tasks_visible(user).filter(project=project).order_by("-id"),
            lambda t: {
                "label": str(t),
                "date": t.completed_on,
                "status": t.get_status_display(),
                "url": reverse("matching:task_detail", args=[t.pk]),
            },
            "matching:task_list",
        ),
        (
            "entries",
            _("Ledger entries"),
            entries_visible(user).filter(project=project).order_by("-date", "-id"),
            lambda e: {
                "label": f"{e.purpose} · ¥{e.value}",
                "date": e.date,
                "status": e.get_direction_display(),
                "url": reverse("partners:entry_edit", args=[e.pk]),
            },
            "partners:ledger",
        ),
    ]
    for key, label, qs, row, list_name in specs:
        total, rows = _rows(qs, row)
        out.append(Linked(key, label, total, rows, reverse(list_name)))
    return out
