"""Scoped reads of the grading area. Every function takes the user and
filters through core.access.scope()."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import scope, unit_subtree
from core.models import ServiceDomain
from core.roles import Level, Role
from grading.models import (
    Assessment,
    Card,
    CardChange,
    CategoryDomain,
    FollowUpPolicy,
    MajorEvent,
    PersonGrade,
    Visit,
)
from people.models import Person, PersonCategory


def grades_visible(user: Any) -> QuerySet[PersonGrade]:
    return scope(PersonGrade.objects.all(), user).select_related("person", "unit", "responsible")


def visits_visible(user: Any) -> QuerySet[Visit]:
    return scope(Visit.objects.all(), user).select_related("person", "unit", "visitor")


def assessments_visible(user: Any) -> QuerySet[Assessment]:
    return scope(Assessment.objects.all(), user).select_related("person", "unit", "version__instrument", "assessor")


def card_changes_visible(user: Any) -> QuerySet[CardChange]:
    return scope(CardChange.objects.all(), user).select_related("person", "changed_by", "rule_set")


def events_visible(user: Any) -> QuerySet[MajorEvent]:
    return scope(MajorEvent.objects.all(), user).select_related("person", "resolved_by")


def user_policy(user: Any) -> FollowUpPolicy:
    from grading.services import policy_for

    return policy_for(user.unit)


# ---------------------------------------------------------------- follow-ups


def followups(user: Any, *, today: date | None = None, show: str = "mine") -> QuerySet[PersonGrade]:
    """The follow-up list ordered by urgency: overdue first, red first, then
    due date. `show="mine"`: a worker's own and unassigned recipients; a
    station lead's own plus whatever is overdue past the lead's delay; the
    district's own plus whatever is overdue past the district's delay.
    `show="all"`: everyone in scope."""
    if show not in ("mine", "overdue", "all"):
        raise ValidationError({"show": _("Choose mine, overdue or all.")})
    today = today or timezone.localdate()
    policy = user_policy(user)
    qs = grades_visible(user).filter(person__is_active=True, next_due__isnull=False)
    lead_cut = today - timedelta(days=policy.escalate_lead_days)
    district_cut = today - timedelta(days=policy.escalate_district_days)
    if show == "overdue":
        qs = qs.filter(next_due__lt=today)
    elif show != "all":
        unit_level = user.unit.level if user.unit_id else None
        if unit_level == Level.DISTRICT:
            qs = qs.filter(Q(responsible=user) | Q(next_due__lte=district_cut))
        elif user.role == Role.STATION_LEAD:
            qs = qs.filter(Q(responsible=user) | Q(next_due__lte=lead_cut))
        else:
            qs = qs.filter(Q(responsible=user) | Q(responsible__isnull=True))
    return qs.annotate(
        overdue=Case(When(next_due__lt=today, then=Value(1)), default=Value(0), output_field=IntegerField()),
        escalation=Case(
            When(next_due__lte=district_cut, then=Value(2)),
            When(next_due__lte=lead_cut, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
    ).order_by("-overdue", "card_rank", "next_due", "person_id")


def followup_counts(user: Any, *, today: date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    qs = followups(user, today=today)
    return qs.aggregate(
        total=Count("id"),
        overdue=Count("id", filter=Q(next_due__lt=today)),
        today=Count("id", filter=Q(next_due=today)),
    )


# ---------------------------------------------------------------- visit rates


def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    return start, start.replace(day=calendar.monthrange(start.year, start.month)[1])


def _rate_targets(user: Any, month: date) -> QuerySet[Person]:
    start, end = month_bounds(month)
    codes = user_policy(user).rate_categories
    held = PersonCategory.objects.filter(person=OuterRef("pk"), category__code__in=codes, start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    return scope(Person.objects.filter(is_active=True), user).filter(Exists(held))


def _visited_in(month: date) -> Exists:
    start, end = month_bounds(month)
    return Exists(Visit.objects.filter(person=OuterRef("pk"), visited_on__gte=start, visited_on__lte=end))


@dataclass
class RateRow:
    unit: Any
    target: int
    visited: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.visited / self.target, 1) if self.target else None

    @property
    def unvisited(self) -> int:
        return self.target - self.visited


def visit_rates(user: Any, month: date) -> list[RateRow]:
    """Monthly visit rate of the policy groups (elderly alone/empty-nest,
    disabled, 特困 by default) per unit in scope: communities, their
    stations and the district, parents before children."""
    rows = (
        _rate_targets(user, month)
        .values("unit_id")
        .annotate(target=Count("id"), visited=Count("id", filter=Q(_visited_in(month))))
    )
    per_unit = {r["unit_id"]: (r["target"], r["visited"]) for r in rows}
    units = list(unit_subtree(user).order_by("path"))
    by_path = {u.path: u for u in units}
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for u in units:
        target, visited = per_unit.get(u.pk, (0, 0))
        # add to the unit itself and every ancestor visible to the user
        parts = u.path.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            path = "/".join(parts[:i]) + "/"
            if path in by_path:
                totals[path][0] += target
                totals[path][1] += visited
    return [RateRow(unit=u, target=totals[u.path][0], visited=totals[u.path][1]) for u in units]


def unvisited(user: Any, month: date, unit: Any) -> QuerySet[Person]:
    """The policy-group people of `unit`'s subtree not yet visited in the month."""
    return (
        _rate_targets(user, month)
        .filter(unit__path__startswith=unit.path)
        .exclude(_visited_in(month))
        .select_related("unit", "grade")
        .order_by("unit__path", "name_pinyin", "id")
    )


# ---------------------------------------------------------------- grading board


def board(user: Any, *, today: date | None = None) -> dict[str, Any]:
    """Counts by card × service domain × community, in three queries."""
    today = today or timezone.localdate()
    grades = grades_visible(user).filter(person__is_active=True)
    per_unit = {
        (r["unit_id"], r["card"]): r["n"] for r in grades.order_by().values("unit_id", "card").annotate(n=Count("id"))
    }
    cat_domain = dict(CategoryDomain.objects.values_list("category_id", "domain_id"))
    # A person may hold two categories of the same domain: count distinct
    # persons per domain by regrouping (category → domain) sets.
    domain_cells: dict[tuple[int, str, int], int] = defaultdict(int)
    person_rows = (
        PersonCategory.objects.filter(person__in=grades.values("person_id"), category_id__in=list(cat_domain))
        .filter(start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .order_by()
        .values_list("person_id", "category_id", "person__grade__card", "person__unit_id")
        .distinct()
    )
    seen: set[tuple[int, int]] = set()
    for person_id, category_id, card, unit_id in person_rows:
        domain_id = cat_domain[category_id]
        if (person_id, domain_id) in seen:
            continue
        seen.add((person_id, domain_id))
        domain_cells[(unit_id, card, domain_id)] += 1
    domains = list(ServiceDomain.objects.filter(active=True).order_by("order", "code"))
    communities = list(unit_subtree(user).filter(level=Level.COMMUNITY).order_by("path"))
    cards = list(Card)
    rows = []
    for u in communities:
        rows.append(
            {
                "unit": u,
                "cards": [per_unit.get((u.pk, c.value), 0) for c in cards],
                "total": sum(per_unit.get((u.pk, c.value), 0) for c in cards),
                "domains": [[domain_cells.get((u.pk, c.value, d.pk), 0) for c in cards] for d in domains],
            }
        )
    totals = {
        "cards": [sum(r["cards"][i] for r in rows) for i in range(len(cards))],
        "domains": [[sum(r["domains"][j][i] for r in rows) for i in range(len(cards))] for j in range(len(domains))],
    }
    totals["total"] = sum(totals["cards"])
    return {"cards": cards, "domains": domains, "rows": rows, "totals": totals}


def card_trend(user: Any, *, today: date | None = None, months: int = 12) -> dict[str, Any]:
    """Cards in force at each month end, replayed from the card history."""
    today = today or timezone.localdate()
    ends: list[date] = []
    y, m = today.year, today.month
    for _i in range(months):
        ends.append(min(month_bounds(date(y, m, 1))[1], today))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    ends.reverse()
    changes = (
        card_changes_visible(user)
        .filter(changed_at__date__lte=today)
        .order_by("changed_at", "id")
        .values_list("person_id", "to_card", "changed_at")
    )
    current: dict[int, str] = {}
    counts = {c.value: [0] * len(ends) for c in Card}
    idx = 0
    tz = timezone.get_current_timezone()
    for person_id, card, at in changes.iterator(chunk_size=5000):
        day = at.astimezone(tz).date()
        while idx < len(ends) and day > ends[idx]:
            for c, n in _tally(current).items():
                counts[c][idx] = n
            idx += 1
        current[person_id] = card
    while idx < len(ends):
        for c, n in _tally(current).items():
            counts[c][idx] = n
        idx += 1
    return {"months": [e.strftime("%Y-%m") for e in ends], "series": counts}


def _tally(current: dict[int, str]) -> dict[str, int]:
    out = {c.value: 0 for c in Card}
    for card in current.values():
        out[card] = out.get(card, 0) + 1
    return out


def board_people(
    user: Any, *, card: str = "", domain: Any = None, unit: Any = None, today: date | None = None
) -> QuerySet[PersonGrade]:
    """Drill-down from a board cell to the people."""
    today = today or timezone.localdate()
    qs = grades_visible(user).filter(person__is_active=True)
    if card:
        qs = qs.filter(card=card)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if domain is not None:
        held = PersonCategory.objects.filter(
            person=OuterRef("person_id"),
            category_id__in=CategoryDomain.objects.filter(domain=domain).values("category_id"),
            start_date__lte=today,
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        qs = qs.filter(Exists(held))
    return qs.order_by("card_rank", "person__name_pinyin", "person_id")
