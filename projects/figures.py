"""A project's figures, counted in one place (docs/projects.md), the way
docs/counting.md counts a station's:

- **person-times** (服务人次): the project's held activities (named residents
  marked attended plus the unnamed head count, by the activity's local start
  date), its groups' session attendance (by session date) and its completed
  service tasks (by completion date);
- **activities**: the project's activities marked held;
- **households reached**: the distinct households of the named residents in
  those contacts (a resident without a household file counts as a household
  of their own);
- **money raised**: the project's ledger entries received (direction in), by
  entry date;
- **spent**: the project's approved expenditures, by expenditure date;
  **committed** adds those still waiting for approval;
- **budget**: the sum of its budget lines.

`start` and `end` are dates, both included. The caller has checked that the
user may see the project; every linked record counts, wherever it is filed
(the forms only offer a project to records of its unit's subtree)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from casework.models import Activity, ActivitySignup, ActivityStatus, GroupAttendance
from matching.models import ServiceTask, TaskStatus
from partners.models import Direction, ResourceEntry
from projects.models import Expenditure, ExpenditureStatus, Project

ZERO = Decimal(0)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def period_of(project: Project, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The project's period so far: from its start to its end or today."""
    today = today or timezone.localdate()
    return project.starts_on, max(project.starts_on, min(project.ends_on, today))


def sources(projects: list[int], start: dt.date, end: dt.date) -> dict[str, Any]:
    """The records that count for these projects in the period."""
    lo, hi = _bounds(start, end)
    held = Activity.objects.filter(
        project__in=projects, status=ActivityStatus.DONE, starts_at__gte=lo, starts_at__lt=hi
    )
    return {
        "held": held,
        "activity_named": ActivitySignup.objects.filter(activity__in=held, attended=True, person__isnull=False),
        "group": GroupAttendance.objects.filter(
            session__group__project__in=projects, session__date__gte=start, session__date__lte=end
        ),
        "task": ServiceTask.objects.filter(
            project__in=projects, status=TaskStatus.DONE, completed_on__gte=start, completed_on__lte=end
        ),
        "raised": ResourceEntry.objects.filter(
            project__in=projects, direction=Direction.IN, date__gte=start, date__lte=end
        ),
        "spent": Expenditure.objects.filter(
            project__in=projects, status=ExpenditureStatus.APPROVED, spent_on__gte=start, spent_on__lte=end
        ),
    }


@dataclass
class Figures:
    start: dt.date
    end: dt.date
    person_times: int = 0
    activities: int = 0
    households: int = 0
    raised: Decimal = ZERO
    spent: Decimal = ZERO
    breakdown: dict[str, int] = field(default_factory=dict)


def _households(src: dict[str, Any]) -> int:
    pairs: set[tuple[int, int | None]] = set()
    pairs.update(src["activity_named"].values_list("person_id", "person__household_id"))
    pairs.update(src["group"].values_list("member__person_id", "member__person__household_id"))
    pairs.update(src["task"].values_list("need__person_id", "need__person__household_id"))
    keys = {("h", h) if h is not None else ("p", p) for p, h in pairs if p is not None}
    return len(keys)


def figures(project: Project, start: dt.date, end: dt.date) -> Figures:
    src = sources([project.pk], start, end)
    heads = src["held"].aggregate(n=Sum("head_count"))["n"] or 0
    breakdown = {
        "activities": src["activity_named"].count() + heads,
        "groups": src["group"].count(),
        "tasks": src["task"].count(),
    }
    return Figures(
        start=start,
        end=end,
        person_times=sum(breakdown.values()),
        activities=src["held"].count(),
        households=_households(src),
        raised=src["raised"].aggregate(v=Sum("value"))["v"] or ZERO,
        spent=src["spent"].aggregate(v=Sum("amount"))["v"] or ZERO,
        breakdown=breakdown,
    )


@dataclass
class Money:
    """Budget vs committed vs spent per line, and the totals."""

    lines: list[dict[str, Any]]
    budget: Decimal
    committed: Decimal
    spent: Decimal
    pending: Decimal


def money(project: Project) -> Money:
    """Over the whole project: each line's budget, approved spending and
    spending still waiting for approval (one grouped query)."""
    lines = list(
        project.budget_lines.annotate(
            spent=Sum("expenditures__amount", filter=Q(expenditures__status=ExpenditureStatus.APPROVED)),
            pending=Sum("expenditures__amount", filter=Q(expenditures__status=ExpenditureStatus.PENDING)),
        ).order_by("id")
    )
    rows: list[dict[str, Any]] = []
    for line in lines:
        spent, pending = line.spent or ZERO, line.pending or ZERO
        rows.append(
            {
                "line": line,
                "budget": line.amount,
                "spent": spent,
                "pending": pending,
                "left": line.amount - spent - pending,
            }
        )
    spent = sum((r["spent"] for r in rows), ZERO)
    pending = sum((r["pending"] for r in rows), ZERO)
    return Money(
        lines=rows,
        budget=sum((r["budget"] for r in rows), ZERO),
        committed=spent + pending,
        spent=spent,
        pending=pending,
    )


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return out


def trend(project: Project, start: dt.date, end: dt.date) -> dict[str, Any]:
    """Per month of the period: person-times, activities held, money raised
    and spent (the chart on the project page and the report's table)."""
    src = sources([project.pk], start, end)
    months = _month_starts(start, end)
    series: dict[str, dict[dt.date, Any]] = {k: {m: 0 for m in months} for k in ("person_times", "activities")}
    series["raised"] = {m: ZERO for m in months}
    series["spent"] = {m: ZERO for m in months}

    def month(value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value).date()
        return value.replace(day=1)

    for starts_at, heads in src["held"].values_list("starts_at", "head_count"):
        m = month(starts_at)
        series["activities"][m] += 1
        series["person_times"][m] += heads
    for starts_at in src["activity_named"].values_list("activity__starts_at", flat=True):
        series["person_times"][month(starts_at)] += 1
    for day in src["group"].values_list("session__date", flat=True):
        series["person_times"][month(day)] += 1
    for day in src["task"].values_list("completed_on", flat=True):
        series["person_times"][month(day)] += 1
    for key, qs, value, when in (
        ("raised", src["raised"], "value", "date"),
        ("spent", src["spent"], "amount", "spent_on"),
    ):
        for row in qs.annotate(m=TruncMonth(when)).values("m").annotate(v=Sum(value)).order_by():
            series[key][row["m"]] += row["v"] or ZERO
    return {
        "months": [f"{m:%Y-%m}" for m in months],
        "person_times": [series["person_times"][m] for m in months],
        "activities": [series["activities"][m] for m in months],
        "raised": [float(series["raised"][m]) for m in months],
        "spent": [float(series["spent"][m]) for m in months],
        "rows": [
            (
                f"{m:%Y-%m}",
                series["person_times"][m],
                series["activities"][m],
                series["raised"][m],
                series["spent"][m],
            )
            for m in months
        ],
    }


def progress(value: Decimal | int, target: Decimal | int | None) -> int | None:
    """Per cent of the target reached (None: no target set)."""
    if not target:
        return None
    return int(Decimal(value) * 100 / Decimal(target))
