"""Scoped reads of the grading area. Every function takes the user and
filters through core.access.scope()."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Lead
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import at_or_above, scope, under, unit_subtree
from core.models import ServiceDomain
from core.roles import Level, Role
from grading import category_keys
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


def _inactive() -> QuerySet[Person, Any]:
    # Few residents are inactive (moved away, deceased): excluding that small
    # set is cheaper than joining every card to its resident to test a flag.
    return Person.objects.filter(is_active=False).values("pk")


def grades_current(user: Any) -> QuerySet[PersonGrade]:
    """Cards of active residents in scope."""
    return grades_visible(user).exclude(person_id__in=_inactive())


def visits_visible(user: Any) -> QuerySet[Visit]:
    return scope(Visit.objects.all(), user).select_related("person", "unit", "visitor")


def visits_of(user: Any, person: Person) -> QuerySet[Visit]:
    """A person's visits, newest first, with the needs spotted on each named
    from the catalogue in the same query (a retired type keeps its code)."""
    from matching.models import Need, NeedType

    named = Need.objects.annotate(
        type_name=Coalesce(
            Subquery(NeedType.objects.filter(code=OuterRef("need_type")).values("name")[:1]), F("need_type")
        )
    )
    return visits_visible(user).filter(person=person).prefetch_related(Prefetch("needs_found", queryset=named))


def assessments_visible(user: Any) -> QuerySet[Assessment]:
    return scope(Assessment.objects.all(), user).select_related("person", "unit", "version__instrument", "assessor")


def card_changes_visible(user: Any) -> QuerySet[CardChange]:
    return scope(CardChange.objects.all(), user).select_related("person", "changed_by", "rule_set")


def events_visible(user: Any) -> QuerySet[MajorEvent]:
    return scope(MajorEvent.objects.all(), user).select_related("person", "resolved_by")


def user_policy(user: Any) -> FollowUpPolicy:
    """The policy of the user's district, looked up once per request."""
    from grading.selectors_config import policy_for

    cached = getattr(user, "_grading_policy", None)
    if cached is None:
        cached = policy_for(user.unit)
        user._grading_policy = cached
    return cached


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
    qs = grades_current(user).filter(next_due__isnull=False)
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


def followup_rows(user: Any, pks: list[int], *, today: date | None = None) -> list[PersonGrade]:
    """The rows of one page of the follow-up list, in the page's order, with
    their person, community and worker, marked for display. The ordering and
    the slice ran on the narrow card table (grading.lists.FOLLOWUPS), so the
    number of queries stays the same however long the list."""
    today = today or timezone.localdate()
    found = {g.pk: g for g in followups(user, today=today, show="all").filter(pk__in=pks)}
    rows = [found[pk] for pk in pks if pk in found]
    for g in rows:
        g.overdue_days = (today - g.next_due).days if g.next_due else 0
    return rows


def followup_row(user: Any, person_id: int, *, today: date | None = None) -> PersonGrade | None:
    """One row of the follow-up list (after a visit is logged from it), or
    None when the person has left it."""
    pks = list(followups(user, today=today, show="all").filter(person_id=person_id).values_list("pk", flat=True))
    rows = followup_rows(user, pks, today=today)
    return rows[0] if rows else None


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


def _held_in(user: Any, month: date) -> Exists:
    """The resident holds one of the policy's rate categories during the month."""
    start, end = month_bounds(month)
    codes = user_policy(user).rate_categories
    return Exists(
        PersonCategory.objects.filter(person=OuterRef("pk"), category__code__in=codes, start_date__lte=end).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start)
        )
    )


def _rate_targets(user: Any, month: date) -> QuerySet[Person]:
    return scope(Person.objects.filter(is_active=True), user).filter(_held_in(user, month))


def rate_people(user: Any) -> QuerySet[Person]:
    """Active residents in scope, as the not-visited list shows them; narrow
    them to a month's targets with `not_visited_in`."""
    return scope(Person.objects.filter(is_active=True), user).select_related("unit", "grade", "grade__responsible")


def not_visited_in(qs: QuerySet[Person], user: Any, month: date) -> QuerySet[Person]:
    """Those of `qs` counted by the month's visit rate but not visited in it."""
    return qs.filter(_held_in(user, month)).exclude(_visited_in(month))


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
    return not_visited_in(under(rate_people(user), unit), user, month).order_by("unit__path", "name_pinyin", "id")


# ---------------------------------------------------------------- grading board


def board(user: Any, *, today: date | None = None) -> dict[str, Any]:
    """Counts by card × service domain × community, in four queries."""
    today = today or timezone.localdate()
    grades = grades_current(user)
    per_unit = {
        (r["unit_id"], r["card"]): r["n"] for r in grades.order_by().values("unit_id", "card").annotate(n=Count("id"))
    }
    domain_cells = category_keys.domain_cells(grades, today, by_unit=True)
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


def card_trend(
    user: Any, *, today: date | None = None, months: int = 12, current: dict[str, int] | None = None
) -> dict[str, Any]:
    """Cards in force at each month end. Past months come from the card
    history (each change holds until the person's next change: a window
    function; one aggregate query for all months) and are cached, keyed by
    the history rows before this month so that any late entry refreshes
    them; the current month is the cards in force now (`current`, or the
    current cards counted here)."""
    today = today or timezone.localdate()
    ends: list[date] = []
    y, m = today.year, today.month
    for _i in range(months):
        ends.append(min(month_bounds(date(y, m, 1))[1], today))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    ends.reverse()
    tz = timezone.get_current_timezone()
    # month ends as aware instants: local midnight after the last day
    limits = [datetime.combine(e + timedelta(days=1), time.min, tzinfo=tz) for e in ends[:-1]]
    history = scope(CardChange.objects.all(), user)
    past: dict[str, list[int]] = {c.value: [0] * len(limits) for c in Card}
    if limits:
        # any late entry anywhere refreshes every cached trend: a cheap,
        # index-only count over the whole history (not just this scope)
        stamp = CardChange.objects.filter(changed_at__lt=limits[-1]).aggregate(n=Count("id"), top=Max("id"))
        key = f"grading:trend:{user.unit.path}:{ends[0]:%Y-%m}:{len(limits)}:{stamp['n']}:{stamp['top']}"
        cached = cache.get(key)
        if cached is None:
            cached = _trend_from_history(history, limits) if stamp["n"] else past
            cache.set(key, cached, 24 * 3600)
        past = cached
    if current is None:
        current = dict(grades_current(user).order_by().values_list("card").annotate(n=Count("id")))
    series = {c.value: [*past.get(c.value, [0] * len(limits)), int(current.get(c.value, 0))] for c in Card}
    return {"months": [e.strftime("%Y-%m") for e in ends], "series": series}


def _trend_from_history(history: QuerySet[CardChange], limits: list[datetime]) -> dict[str, list[int]]:
    inner = (
        history.filter(changed_at__lt=limits[-1])
        .annotate(
            until=Window(
                Lead("changed_at"), partition_by=[F("person_id")], order_by=[F("changed_at").asc(), F("id").asc()]
            )
        )
        .values("to_card", "changed_at", "until")
    )
    inner_sql, inner_params = inner.query.sql_with_params()
    columns = ", ".join(
        "SUM(CASE WHEN t.changed_at < %s AND (t.until IS NULL OR t.until >= %s) THEN 1 ELSE 0 END)" for _ in limits
    )
    params: list[Any] = []
    for limit in limits:
        value = connection.ops.adapt_datetimefield_value(limit)
        params += [value, value]
    sql = f"SELECT t.to_card, {columns} FROM ({inner_sql}) t GROUP BY t.to_card"
    counts = {c.value: [0] * len(limits) for c in Card}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *inner_params])
        for card, *per_month in cursor.fetchall():
            if card in counts:
                counts[card] = [int(n or 0) for n in per_month]
    return counts


def board_people(
    user: Any, *, card: str = "", domain: Any = None, unit: Any = None, today: date | None = None
) -> QuerySet[PersonGrade]:
    """Drill-down from a board cell to the people."""
    today = today or timezone.localdate()
    qs = grades_current(user)
    if card:
        qs = qs.filter(card=card)
    if unit is not None:
        qs = under(qs, unit)
    if domain is not None:
        qs = holding_domain(qs, domain, today)
    return qs.order_by("card_rank", "person__name_pinyin", "person_id")


def holding_domain(qs: QuerySet[PersonGrade], domain: Any, today: date | None = None) -> QuerySet[PersonGrade]:
    """The cards of residents holding, today, a category counted under `domain`."""
    today = today or timezone.localdate()
    held = PersonCategory.objects.filter(
        person=OuterRef("person_id"),
        category_id__in=CategoryDomain.objects.filter(domain=domain).values("category_id"),
        start_date__lte=today,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    return qs.filter(Exists(held))


# ---------------------------------------------------------------- responsible workers

# Who may carry a resident's follow-up: the field staff of the resident's
# community, its station (or, for a lead, the station they run).
FOLLOW_UP_ROLES = (Role.SOCIAL_WORKER, Role.COMMUNITY_WORKER, Role.STATION_LEAD)


def may_follow_up(worker: Any, unit: Any) -> bool:
    """Whether `worker` may be named responsible for a resident of `unit`."""
    return bool(
        worker is not None
        and worker.is_active
        and worker.role in FOLLOW_UP_ROLES
        and worker.unit_id is not None
        and worker.unit.contains(unit)
    )


def follow_up_staff(user: Any) -> QuerySet[Any]:
    """The staff in the user's scope whose role may carry follow-ups (where
    each may, `may_follow_up` decides per resident)."""
    from accounts.selectors import staff_visible

    return (
        staff_visible(user)
        .filter(is_active=True, role__in=FOLLOW_UP_ROLES)
        .select_related("unit")
        .order_by("unit__path", "full_name", "username")
    )


def assignable_workers(user: Any, unit: Any) -> QuerySet[Any]:
    """The staff in the user's scope who may follow up residents of `unit`
    (the same rule as `may_follow_up`, as one query)."""
    from accounts.selectors import staff_visible

    return (
        staff_visible(user)
        .filter(at_or_above(unit), is_active=True, role__in=FOLLOW_UP_ROLES)
        .select_related("unit")
        .order_by("unit__path", "full_name", "username")
    )


def stations_for_rules(user: Any) -> QuerySet[Any]:
    """The stations whose responsible-worker rule the user may open."""
    return unit_subtree(user).filter(level=Level.STATION).order_by("path")


def responsible_rule(station: Any) -> dict[str, Any]:
    """A station's rule with the designated worker of each community (the
    default "creator" rule when the station never set one)."""
    return responsible_rules([station])[0]


def responsible_rules(stations: list[Any]) -> list[dict[str, Any]]:
    """`responsible_rule` of each station, in three queries however many."""
    from grading.models import CommunityResponsible, ResponsibleMode, ResponsibleRule
    from orgs.models import OrgUnit

    rules = {r.unit_id: r for r in ResponsibleRule.objects.filter(unit__in=stations).select_related("worker__unit")}
    communities = list(OrgUnit.objects.filter(parent__in=stations, level=Level.COMMUNITY).order_by("path"))
    designated = {
        c.unit_id: c.worker
        for c in CommunityResponsible.objects.filter(unit__in=communities).select_related("worker__unit")
    }
    out = []
    for station in stations:
        rule = rules.get(station.pk)
        out.append(
            {
                "mode": rule.mode if rule else ResponsibleMode.CREATOR,
                "worker": rule.worker if rule else None,
                "communities": [(c, designated.get(c.pk)) for c in communities if c.parent_id == station.pk],
            }
        )
    return out
