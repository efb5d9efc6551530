"""KPI actuals, computed from the records themselves (never typed in).

Each KPI code has ONE function here, ``fn(units, start, end) -> Actual``:
`units` are the stations (or any units) whose subtrees are counted — the
caller has already restricted them to the user's scope — and [start, end] is
an inclusive date range. An Actual carries the figure, the queryset of the
records behind it (for the drill-down page) or, when a figure sums several
kinds of record, a breakdown by kind.

Sources belong to other areas; a source not installed yields
``available=False`` rather than a made-up zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import or_
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone


@dataclass
class Actual:
    value: Decimal | None
    records: QuerySet | None = None
    breakdown: dict[str, int] = field(default_factory=dict)
    available: bool = True
    # {unit id: figure} for the records' own units, when the figure is a plain
    # sum over records: dashboards roll it up into child units with one query.
    by_unit: dict[int, Decimal] | None = None

    def rolled_up(self, units: Sequence[Any], paths: dict[int, str]) -> dict[int, Decimal]:
        """{unit.pk: figure} for each of `units` (disjoint subtrees), from by_unit."""
        out = {u.pk: Decimal(0) for u in units}
        for unit_id, value in (self.by_unit or {}).items():
            path = paths.get(unit_id, "")
            for u in units:
                if path.startswith(u.path):
                    out[u.pk] += Decimal(value or 0)
                    break
        return out


UNAVAILABLE = Actual(value=None, available=False)


def in_units(units: Sequence[Any], field_name: str = "unit") -> Q:
    """Records whose `field_name` unit lies in any of `units`' subtrees."""
    if not units:
        return Q(pk__in=[])
    return reduce(or_, (Q(**{f"{field_name}__path__startswith": u.path}) for u in units))


def _model(label: str) -> Any:
    app, name = label.split(".")
    if not apps.is_installed(app):
        return None
    try:
        return apps.get_model(app, name)
    except LookupError:
        return None


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def _principal(unit: Any) -> Any:
    """casework's counters take a user for scoping; this stands for exactly
    `unit`'s subtree (the caller has checked the real user's scope)."""
    return SimpleNamespace(is_authenticated=True, is_active=True, unit_id=unit.pk, unit=unit, role="viewer")


def _grouped(qs: QuerySet, agg: Any) -> dict[int, Decimal]:
    return {u: Decimal(v or 0) for u, v in qs.order_by().values("unit").annotate(v=agg).values_list("unit", "v")}


def _count(qs: QuerySet) -> Actual:
    by_unit = _grouped(qs, Count("pk"))
    return Actual(value=sum(by_unit.values(), Decimal(0)), records=qs, by_unit=by_unit)


# --------------------------------------------------------------- casework


def cases(units: Sequence[Any], start: dt.date, end: dt.date) -> Actual:
    """个案: cases opened in the period."""
    case = _model("casework.Case")
    if case is None:
        return UNAVAILABLE
    qs = case.objects.filter(in_units(units), opened_on__gte=start, opened_on__lte=end).select_related("unit")
    return _count(qs.order_by("-opened_on"))


def activities(units: Sequence[Any], start: dt.date, end: dt.date) -> Actual:
    """社区活动: activities held (done) that started in the period."""
    activity = _model("casework.Activity")
    if activity is None:
        return UNAVAILABLE
    lo, hi = _bounds(start, end)
    qs = activity.objects.filter(in_units(units), status="done", starts_at__gte=lo, starts_at__lt=hi)
    return _count(qs.select_related("unit").order_by("-starts_at"))


def groups(units: Sequence[Any], start: dt.date, end: dt.date) -> Actual:
    """小组: groups that started in the period."""
    group = _model("casework.Group")
    if group is None:
        return UNAVAILABLE
    qs = group.objects.filter(in_units(units), start_on__gte=start, start_on__lte=end).exclude(status="cancelled")
    return _count(qs.select_related("unit").order_by("-start_on"))


def person_times(units: Sequence[Any], start: dt.date, end: dt.date) -> Actual:
    """服务人次, as casework defines it (every service contact counts once)."""
    if _model("casework.Activity") is None:
        return UNAVAILABLE
    from casework.selectors import person_times_breakdown

    total: dict[str, int] = {}
    for unit in units:
        for key, n in person_times_breakdown(_principal(unit), start, end, unit).items():
            total[key] = total.get(key, 0) + n
    return Actual(value=Decimal(sum(total.values())), breakdown=total)


def unique_persons(units: Sequence[Any], start: dt.date, end: dt.date) -> Actual:
    """服务人数: distinct named residents served (casework's definition)."""
    if _model("casework.Activity") is None:
        return UNAVAILABLE
    from casework.selectors import persons_served

    # Units are disjoint subtrees (stations), so the sum does not double count
    # within a station; a person served by two stations counts in each.
    return Actual(value=Decimal(sum(persons_served(_principal(u), start, end, u) for u in units)))


# ---------------------------------------------------------------- grading


def key_visits(units: Sequence[Any], start: dt.date, end: dt.date) -> Actual:
    """重点对象探访: visits to graded recipients in the period."""
    visit = _model("grading.Visit")
    if visit is None:
        return UNAVAILABLE
    qs = visit.objects.filter(in_units(units), visited_on__gte=start, visited_on__lte=end)
    return _count(qs.select_related("unit", "person").order_by("-visited_on"))


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def monthly_visit_rate(units: Sequence[Any], start: dt.date, end: dt.date) -> Actual:
    """月探访率 (%): for each month of the period up to today, the share of
    recipients holding a card who had at least one visit that month; the
    figure is the mean over those months."""
    visit, grade = _model("grading.Visit"), _model("grading.PersonGrade")
    if visit is None or grade is None:
        return UNAVAILABLE
    graded = grade.objects.filter(in_units(units)).values("person_id")
    n = graded.count()
    if n == 0:
        return Actual(value=None)
    end = min(end, timezone.localdate())
    rates = []
    for month in _month_starts(start, end):
        m_end = min((month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1), end)
        m_start = max(month, start)
        seen = (
            visit.objects.filter(person_id__in=graded, visited_on__gte=m_start, visited_on__lte=m_end)
            .values("person_id")
            .distinct()
            .count()
        )
        rates.append(Decimal(seen) * 100 / n)
    if not rates:
        return Actual(value=None)
    qs = visit.objects.filter(person_id__in=graded, visited_on__gte=start, visited_on__lte=end)
    return Actual(value=(sum(rates) / len(rates)).quantize(Decimal("0.1")), records=qs.order_by("-visited_on"))


# ------------------------------------------------ partners and volunteers


def _organisations(units: Sequence[Any], end: dt.date) -> QuerySet | None:
    """Active community organisations founded by the end of the period (or
    with no founding date recorded)."""
    org = _model("partners.CommunityOrganisation")
    if org is None:
        return None
    founded = Q(founded_on__isnull=True) | Q(founded_on__lte=end)
    return org.objects.filter(in_units(units), founded, is_active=True).select_related("unit")


def organisations(units: Sequence[Any], start: dt.date, end: dt.date) -> Actual:
    """培育社区社会组织: organisations the station works with, as of the end of the period."""
    qs = _organisations(units, end)
    return UNAVAILABLE if qs is None else _count(qs)


def organisation_members(units: Sequence[Any], start: dt.date, end: dt.date) -> Actual:
    """Their members (and, as a breakdown, Party members)."""
    qs = _organisations(units, end)
    if qs is None:
        return UNAVAILABLE
    by_unit = _grouped(qs, Sum("members"))
    party = qs.aggregate(p=Sum("party_members"))["p"] or 0
    return Actual(
        value=sum(by_unit.values(), Decimal(0)), records=qs, breakdown={"party_members": party}, by_unit=by_unit
    )


def volunteers_recruited(units: Sequence[Any], start: dt.date, end: dt.date) -> Actual:
    """志愿者招募: volunteers registered in the period."""
    volunteer = _model("volunteers.Volunteer")
    if volunteer is None:
        return UNAVAILABLE
    lo, hi = _bounds(start, end)
    qs = volunteer.objects.filter(in_units(units), created_at__gte=lo, created_at__lt=hi).select_related("unit")
    return _count(qs.order_by("-created_at"))


def volunteer_hours(units: Sequence[Any], start: dt.date, end: dt.date) -> Actual:
    """志愿服务时长: hours in volunteer service records dated in the period.
    Summed from the daily rollup while it is current (see contracts.rollup),
    otherwise from the records; the drill-down always lists the records."""
    record = _model("volunteering.ServiceRecord")
    if record is None:
        return UNAVAILABLE
    from contracts.rollup import service_days

    qs = record.objects.filter(in_units(units), date__gte=start, date__lte=end)
    days = service_days()
    if days is not None:
        by_unit = _grouped(days.filter(in_units(units), day__gte=start, day__lte=end), Sum("hours"))
    else:
        by_unit = _grouped(qs, Sum("hours"))
    return Actual(
        value=sum(by_unit.values(), Decimal(0)),
        records=qs.select_related("unit", "volunteer").order_by("-date"),
        by_unit=by_unit,
    )


def resources_rmb(units: Sequence[Any], start: dt.date, end: dt.date) -> Actual:
    """链接资源 (RMB): value of the resources received in the period, from the
    charitable resources ledger (what is given out is not counted again)."""
    ledger = _model("partners.ResourceEntry")
    if ledger is None:
        return UNAVAILABLE
    qs = ledger.objects.filter(in_units(units), direction="in", date__gte=start, date__lte=end)
    by_unit = _grouped(qs, Sum("value"))
    return Actual(
        value=sum(by_unit.values(), Decimal(0)), records=qs.select_related("unit").order_by("-date"), by_unit=by_unit
    )


# -------------------------------------------------------------- feedback


def satisfaction(units: Sequence[Any], start: dt.date, end: dt.date) -> Actual:
    """满意度 (%): mean score of satisfaction surveys, 5 = 100%."""
    from workrecords.models import SatisfactionSurvey

    qs = SatisfactionSurvey.objects.filter(in_units(units), date__gte=start, date__lte=end)
    agg = qs.aggregate(avg=Avg("score"), n=Count("id"))
    if not agg["n"]:
        return Actual(value=None, records=qs)
    value = (Decimal(str(agg["avg"])) * 20).quantize(Decimal("0.1"))
    return Actual(value=value, records=qs.select_related("unit").order_by("-date"))


ACTUALS: dict[str, Callable[[Sequence[Any], dt.date, dt.date], Actual]] = {
    "cases": cases,
    "key_visits": key_visits,
    "activities": activities,
    "groups": groups,
    "person_times": person_times,
    "unique_persons": unique_persons,
    "organisations": organisations,
    "organisation_members": organisation_members,
    "volunteers_recruited": volunteers_recruited,
    "volunteer_hours": volunteer_hours,
    "resources_rmb": resources_rmb,
    "monthly_visit_rate": monthly_visit_rate,
    "satisfaction": satisfaction,
}


def actual(code: str, units: Sequence[Any], start: dt.date, end: dt.date) -> Actual:
    fn = ACTUALS.get(code)
    return fn(units, start, end) if fn else UNAVAILABLE


# Figures that are not a plain sum over records: rates, averages and
# casework's de-duplicated counts are asked for each unit on its own.
NOT_SUMMABLE = {"person_times", "unique_persons", "monthly_visit_rate", "satisfaction"}


def actuals_per_unit(
    code: str, units: Sequence[Any], start: dt.date, end: dt.date
) -> tuple[bool, dict[int, Decimal | None]]:
    """(available, {unit.pk: figure}) for each of `units` (disjoint subtrees).
    A plain sum is computed in one grouped query for all units and rolled up."""
    units = list(units)
    if code in NOT_SUMMABLE or code not in ACTUALS:
        results = {u.pk: actual(code, [u], start, end) for u in units}
        available = all(r.available for r in results.values()) if units else actual(code, [], start, end).available
        return available, {pk: (r.value if available else None) for pk, r in results.items()}
    whole = actual(code, units, start, end)
    if not whole.available:
        return False, {u.pk: None for u in units}
    from orgs.models import OrgUnit

    ids = list((whole.by_unit or {}).keys())
    paths = dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "path"))
    return True, dict(whole.rolled_up(units, paths))
