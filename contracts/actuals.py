"""KPI actuals, counted from the records themselves (never typed in).

Each KPI code has ONE counting function here, ``fn(roots, start, end) ->
Tally``: it reads the records filed anywhere in `roots`' subtrees (the caller
has already restricted them to the user's scope) over the inclusive date
range, grouped by the unit each record is filed at (contracts/tallies.py).
Every view — contract page, dashboards, xlsx/PDF reports, the API — reads its
rows off such a tally: a community's or station's subtree, or a unit's own
level (站本级), so a station's rows always add up to its total and the
district roll-up's row for a station is that total.

Sources belong to other areas; a source not installed yields
``available=False`` rather than a made-up zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from contracts.tallies import ZERO, MeanTally, PersonsTally, RateTally, SumTally, Tally, Unavailable
from core.access import under, within


@dataclass
class Actual:
    value: Decimal | None
    records: QuerySet | None = None
    breakdown: dict[str, Decimal] = field(default_factory=dict)
    available: bool = True


UNAVAILABLE = Actual(value=None, available=False)


def in_units(units: Sequence[Any], field_name: str = "unit") -> Q:
    """Records whose `field_name` unit lies in any of `units`' subtrees."""
    return within(units, field_name)


def _model(label: str) -> Any:
    app, name = label.split(".")
    if not apps.is_installed(app):
        return None
    try:
        return apps.get_model(app, name)
    except LookupError:
        return None


def day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end] as aware datetimes bounding those local days."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


# ------------------------------------------------------------ sum sources


@dataclass(frozen=True)
class Rolled:
    """A summed KPI read off a daily rollup (contracts.rollup): its rows
    (restricted like the records), what is summed there, and the highest
    record id it covers (later records are counted from the records)."""

    rows: QuerySet
    agg: Any
    after: int


@dataclass(frozen=True)
class Source:
    """The records behind a summed KPI: the queryset (already restricted to
    the roots and the period), the path to each record's unit and date, and
    what is summed; `rolled` when a current rollup counts them instead.
    Tallies and the dashboards' monthly series both use it."""

    qs: QuerySet
    agg: Any
    day: str
    unit: str = "unit"
    rolled: Rolled | None = None

    def parts(self) -> list[tuple[QuerySet, Any, str, str]]:
        """(queryset, aggregate, date field, unit path) to add up: the
        records, or the rollup's rows and the records after it."""
        if self.rolled is None:
            return [(self.qs, self.agg, self.day, self.unit)]
        from contracts.rollup import since

        r = self.rolled
        return [(r.rows, r.agg, "day", "unit"), (since(self.qs, r.after), self.agg, self.day, self.unit)]


def _rolled(name: str, roots: Sequence[Any], start: dt.date, end: dt.date, agg: Any) -> Rolled | None:
    from contracts.rollup import current

    found = current(name)
    if found is None:
        return None
    rows = found.rows.filter(in_units(roots), day__gte=start, day__lte=end)
    return Rolled(rows=rows, agg=agg, after=found.after)


def _cases(roots: Sequence[Any], start: dt.date, end: dt.date) -> Source | None:
    """个案: cases opened in the period."""
    case = _model("casework.Case")
    if case is None:
        return None
    qs = case.objects.filter(in_units(roots), opened_on__gte=start, opened_on__lte=end)
    return Source(qs.select_related("unit").order_by("-opened_on"), Count("pk"), "opened_on")


def _case_conferences(roots: Sequence[Any], start: dt.date, end: dt.date) -> Source | None:
    """个案研讨: case conferences held in the period (filed at the case's unit).
    A figure of the reports and the dashboard, not (yet) a contract KPI."""
    conference = _model("casework.CaseConference")
    if conference is None:
        return None
    qs = conference.objects.filter(in_units(roots), date__gte=start, date__lte=end)
    return Source(qs.select_related("unit", "case").order_by("-date"), Count("pk"), "date")


def _activities(roots: Sequence[Any], start: dt.date, end: dt.date) -> Source | None:
    """社区活动: activities held (done) that started in the period (local days)."""
    activity = _model("casework.Activity")
    if activity is None:
        return None
    lo, hi = day_bounds(start, end)
    qs = activity.objects.filter(in_units(roots), status="done", starts_at__gte=lo, starts_at__lt=hi)
    return Source(qs.select_related("unit").order_by("-starts_at"), Count("pk"), "starts_at")


def _groups(roots: Sequence[Any], start: dt.date, end: dt.date) -> Source | None:
    """小组: groups that started in the period, cancelled ones excluded."""
    group = _model("casework.Group")
    if group is None:
        return None
    qs = group.objects.filter(in_units(roots), start_on__gte=start, start_on__lte=end).exclude(status="cancelled")
    return Source(qs.select_related("unit").order_by("-start_on"), Count("pk"), "start_on")


def _key_visits(roots: Sequence[Any], start: dt.date, end: dt.date) -> Source | None:
    """重点对象探访: visits to graded recipients in the period."""
    visit = _model("grading.Visit")
    if visit is None:
        return None
    qs = visit.objects.filter(in_units(roots), visited_on__gte=start, visited_on__lte=end)
    rolled = _rolled("visits", roots, start, end, Sum("visits"))
    return Source(qs.select_related("unit", "person").order_by("-visited_on"), Count("pk"), "visited_on", rolled=rolled)


def _organisations_qs(roots: Sequence[Any], end: dt.date) -> QuerySet | None:
    """Active community organisations founded by the end of the period (or
    with no founding date recorded): a level, counted as of `end`."""
    org = _model("partners.CommunityOrganisation")
    if org is None:
        return None
    founded = Q(founded_on__isnull=True) | Q(founded_on__lte=end)
    return org.objects.filter(in_units(roots), founded, is_active=True).select_related("unit").order_by("name")


def _organisations(roots: Sequence[Any], start: dt.date, end: dt.date) -> Source | None:
    qs = _organisations_qs(roots, end)
    return None if qs is None else Source(qs, Count("pk"), "founded_on")


def _organisation_members(roots: Sequence[Any], start: dt.date, end: dt.date) -> Source | None:
    qs = _organisations_qs(roots, end)
    return None if qs is None else Source(qs, Sum("members"), "founded_on")


def _volunteers_recruited(roots: Sequence[Any], start: dt.date, end: dt.date) -> Source | None:
    """志愿者招募: volunteers registered in the period."""
    volunteer = _model("volunteers.Volunteer")
    if volunteer is None:
        return None
    lo, hi = day_bounds(start, end)
    qs = volunteer.objects.filter(in_units(roots), created_at__gte=lo, created_at__lt=hi)
    return Source(qs.select_related("unit").order_by("-created_at"), Count("pk"), "created_at")


def _service_records(roots: Sequence[Any], start: dt.date, end: dt.date) -> QuerySet | None:
    record = _model("volunteering.ServiceRecord")
    if record is None:
        return None
    # a record awaiting staff confirmation (signed in by QR) does not count yet
    qs = record.objects.filter(in_units(roots), date__gte=start, date__lte=end, pending=False)
    return qs.select_related("unit", "volunteer").order_by("-date")


def _volunteer_hours(roots: Sequence[Any], start: dt.date, end: dt.date) -> Source | None:
    """志愿服务时长: hours in volunteer service records dated in the period,
    summed from the daily rollup while it is current (see contracts.rollup)."""
    qs = _service_records(roots, start, end)
    if qs is None:
        return None
    return Source(qs, Sum("hours"), "date", rolled=_rolled("hours", roots, start, end, Sum("hours")))


def _resources_rmb(roots: Sequence[Any], start: dt.date, end: dt.date) -> Source | None:
    """链接资源 (RMB): value of resources received (ledger direction “in”);
    what is given out is not counted again."""
    ledger = _model("partners.ResourceEntry")
    if ledger is None:
        return None
    qs = ledger.objects.filter(in_units(roots), direction="in", date__gte=start, date__lte=end)
    return Source(qs.select_related("unit").order_by("-date"), Sum("value"), "date")


def _grouped(qs: QuerySet, unit: str, agg: Any, out: dict[int, Decimal] | None = None) -> dict[int, Decimal]:
    rows = qs.order_by().values(unit).annotate(v=agg).values_list(unit, "v")
    out = {} if out is None else out
    for u, v in rows:
        out[u] = out.get(u, ZERO) + Decimal(v or 0)
    return out


def _by_unit(src: Source) -> dict[int, Decimal]:
    out: dict[int, Decimal] = {}
    for qs, agg, _day, unit in src.parts():
        _grouped(qs, unit, agg, out)
    return out


SOURCES: dict[str, Callable[[Sequence[Any], dt.date, dt.date], Source | None]] = {
    "cases": _cases,
    "case_conferences": _case_conferences,
    "key_visits": _key_visits,
    "activities": _activities,
    "groups": _groups,
    "organisations": _organisations,
    "organisation_members": _organisation_members,
    "volunteers_recruited": _volunteers_recruited,
    "volunteer_hours": _volunteer_hours,
    "resources_rmb": _resources_rmb,
}


def _summed(code: str) -> Callable[[Sequence[Any], dt.date, dt.date], Tally]:
    def count(roots: Sequence[Any], start: dt.date, end: dt.date) -> Tally:
        src = SOURCES[code](roots, start, end)
        if src is None:
            return Unavailable()
        return SumTally(by_unit=_by_unit(src))

    count.__doc__ = SOURCES[code].__doc__
    return count


def organisation_members(roots: Sequence[Any], start: dt.date, end: dt.date) -> Tally:
    """社会组织成员, with Party members as a breakdown."""
    qs = _organisations_qs(roots, end)
    if qs is None:
        return Unavailable()
    return SumTally(
        by_unit=_grouped(qs, "unit", Sum("members")),
        parts={"party_members": _grouped(qs, "unit", Sum("party_members"))},
    )


# --------------------------------------------------------------- casework


def _casework(roots: Sequence[Any], start: dt.date, end: dt.date) -> dict[str, tuple[QuerySet, str]] | None:
    """casework's own definition of a service contact (docs/counting.md),
    restricted to the roots: {kind: (queryset, path to the record's unit)}."""
    if _model("casework.Activity") is None:
        return None
    from casework.selectors import service_contacts_in
    from orgs.models import OrgUnit

    # the caller has checked the real scope; the roots' subtrees narrow it
    src = service_contacts_in(under(OrgUnit.objects.all(), roots, field=""), start, end)
    fields = {
        "activity_named": "activity__unit",
        "activity_heads": "unit",
        "group": "session__group__unit",
        "case": "case__unit",
        "visit": "unit",
        "task": "unit",
    }
    return {k: (qs, fields[k]) for k, qs in src.items() if qs is not None}


def person_times(roots: Sequence[Any], start: dt.date, end: dt.date) -> Tally:
    """服务人次: every service contact counts once; broken down by method."""
    src = _casework(roots, start, end)
    if src is None:
        return Unavailable()
    parts: dict[str, dict[int, Decimal]] = {"activities": {}, "groups": {}, "cases": {}, "visits": {}, "tasks": {}}
    kinds = {"activity_named": "activities", "group": "groups", "case": "cases", "visit": "visits", "task": "tasks"}
    visits = _key_visits(roots, start, end) if "visit" in src else None
    for key, (qs, unit) in src.items():
        part = parts[kinds.get(key, "activities")]
        if key == "visit" and visits is not None:  # the same visits, read off the rollup when it is current
            for u, n in _by_unit(visits).items():
                part[u] = part.get(u, ZERO) + n
            continue
        agg = Sum("head_count") if key == "activity_heads" else Count("pk")
        _grouped(qs, unit, agg, part)
    by_unit: dict[int, Decimal] = {}
    for part in parts.values():
        for u, n in part.items():
            by_unit[u] = by_unit.get(u, ZERO) + n
    return SumTally(by_unit=by_unit, parts=parts)


def unique_persons(roots: Sequence[Any], start: dt.date, end: dt.date) -> Tally:
    """服务人数: distinct named residents with a counted contact (head counts
    cannot be de-duplicated and are left out)."""
    src = _casework(roots, start, end)
    if src is None:
        return Unavailable()
    person = {
        "activity_named": "person_id",
        "group": "member__person_id",
        "case": "case__person_id",
        "visit": "person_id",
        "task": "need__person_id",
    }
    by_unit: dict[int, set[int]] = {}
    for key, (qs, unit) in src.items():
        if key not in person:
            continue
        for u, p in qs.order_by().values_list(unit, person[key]).distinct():
            if p is not None:
                by_unit.setdefault(u, set()).add(p)
    return PersonsTally(by_unit=by_unit)


# ------------------------------------------------------------------ levels


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    out, day = [], start.replace(day=1)
    while day <= end:
        out.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def _month_filters(field: str, model: Any, months: list[dt.date]) -> list[Q]:
    """One range predicate per calendar month on `field` (local days for a
    datetime field): months are told apart without a date function per row."""
    aware = isinstance(model._meta.get_field(field), models.DateTimeField)
    out = []
    for m in months:
        following = (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        lo, hi = day_bounds(m, following - dt.timedelta(days=1)) if aware else (m, following)
        out.append(Q(**{f"{field}__gte": lo, f"{field}__lt": hi}))
    return out


def _with_filter(agg: Any, condition: Q) -> Any:
    """`agg` (of one expression) over the rows matching `condition` only."""
    return type(agg)(agg.get_source_expressions()[0], filter=condition, distinct=getattr(agg, "distinct", False))


def monthly_visit_rate(roots: Sequence[Any], start: dt.date, end: dt.date) -> Tally:
    """月探访率 (%): for each month of the period up to today, the share of
    recipients holding a card (graded in the row's units) visited at least
    once that month; the figure is the mean over those months."""
    visit, grade = _model("grading.Visit"), _model("grading.PersonGrade")
    if visit is None or grade is None:
        return Unavailable()
    graded = {
        u: n
        for u, n in grade.objects.filter(in_units(roots))
        .order_by()
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    }
    end = min(end, timezone.localdate())
    months = month_starts(start, end) if start <= end else []
    seen: dict[dt.date, dict[int, int]] = {m: {} for m in months}
    if graded and months:
        # a recipient has one card, filed at one unit: per unit, the distinct
        # recipients visited each month (anywhere) add up across units
        wheres = _month_filters("visited_on", visit, months)
        counts = {f"m{i}": Count("person_id", distinct=True, filter=q) for i, q in enumerate(wheres)}
        rows = (
            visit.objects.filter(in_units(roots, "person__grade__unit"), visited_on__gte=start, visited_on__lte=end)
            .order_by()
            .values("person__grade__unit_id")
            .annotate(**counts)
        )
        for row in rows:
            for i, m in enumerate(months):
                if row[f"m{i}"]:
                    seen[m][row["person__grade__unit_id"]] = row[f"m{i}"]
    return RateTally(graded=graded, months=seen)


def satisfaction(roots: Sequence[Any], start: dt.date, end: dt.date) -> Tally:
    """满意度 (%): mean score of satisfaction surveys, 5 = 100%."""
    survey = _model("workrecords.SatisfactionSurvey")
    if survey is None:
        return Unavailable()
    rows = (
        survey.objects.filter(in_units(roots), date__gte=start, date__lte=end)
        .order_by()
        .values("unit")
        .annotate(s=Sum("score"), n=Count("pk"))
        .values_list("unit", "s", "n")
    )
    return MeanTally(by_unit={u: (Decimal(s or 0), n) for u, s, n in rows})


COUNTERS: dict[str, Callable[[Sequence[Any], dt.date, dt.date], Tally]] = {
    **{code: _summed(code) for code in SOURCES},
    "organisation_members": organisation_members,
    "person_times": person_times,
    "unique_persons": unique_persons,
    "monthly_visit_rate": monthly_visit_rate,
    "satisfaction": satisfaction,
}
# The catalogue's order (reports list figures in their own order).
KPI_CODES = [
    "cases",
    "key_visits",
    "activities",
    "groups",
    "person_times",
    "unique_persons",
    "organisations",
    "organisation_members",
    "volunteers_recruited",
    "volunteer_hours",
    "resources_rmb",
    "monthly_visit_rate",
    "satisfaction",
]


def count(code: str, roots: Sequence[Any], start: dt.date, end: dt.date) -> Tally:
    """The tally of KPI `code` over the records in `roots`' subtrees."""
    fn = COUNTERS.get(code)
    return fn(roots, start, end) if fn else Unavailable()


# ------------------------------------------------------------ units, rows


def subtree_ids(units: Sequence[Any]) -> dict[int, frozenset[int]]:
    """{unit.pk: ids of the unit and everything below it}, in one query."""
    if not units:
        return {}
    from orgs.models import OrgUnit

    out: dict[int, set[int]] = {u.pk: set() for u in units}
    for unit in under(OrgUnit.objects.only("pk", "path"), units, field=""):
        for u in units:
            if u.contains(unit):
                out[u.pk].add(unit.pk)
    return {k: frozenset(v) for k, v in out.items()}


def _records(code: str, roots: Sequence[Any], start: dt.date, end: dt.date) -> QuerySet | None:
    """The records behind a figure, for the drill-down page."""
    if code in SOURCES:
        src = SOURCES[code](roots, start, end)
        return None if src is None else src.qs
    if code == "monthly_visit_rate":
        visit, grade = _model("grading.Visit"), _model("grading.PersonGrade")
        if visit is None or grade is None:
            return None
        graded = grade.objects.filter(in_units(roots)).values("person_id")
        qs = visit.objects.filter(person_id__in=graded, visited_on__gte=start, visited_on__lte=end)
        return qs.select_related("unit", "person").order_by("-visited_on")
    if code == "satisfaction":
        survey = _model("workrecords.SatisfactionSurvey")
        if survey is None:
            return None
        qs = survey.objects.filter(in_units(roots), date__gte=start, date__lte=end)
        return qs.select_related("unit").order_by("-date")
    return None


def actual(code: str, units: Sequence[Any], start: dt.date, end: dt.date) -> Actual:
    """The figure over `units`' subtrees together, with its records."""
    tally = count(code, units, start, end)
    if not tally.available:
        return UNAVAILABLE
    ids = frozenset().union(*subtree_ids(units).values())
    return Actual(
        value=tally.value(ids),
        records=_records(code, units, start, end),
        breakdown=tally.breakdown(ids),
    )


def actuals_per_unit(
    code: str, units: Sequence[Any], start: dt.date, end: dt.date
) -> tuple[bool, dict[int, Decimal | None]]:
    """(available, {unit.pk: figure over its subtree}) for each of `units`,
    from one tally (the same queries however many units)."""
    units = list(units)
    tally = count(code, units, start, end)
    if not tally.available:
        return False, {u.pk: None for u in units}
    return True, {pk: tally.value(ids) for pk, ids in subtree_ids(units).items()}


def by_month(code: str, root: Any, start: dt.date, end: dt.date) -> dict[dt.date, Decimal] | None:
    """A summed KPI over `root`'s subtree per calendar month (the months'
    figures add up to the period's); None when the source is not installed.
    One query per part (records, or rollup rows and the records after it),
    each month a range predicate, so no date function runs per row."""
    src = SOURCES[code]([root], start, end)
    if src is None:
        return None
    months = month_starts(start, end)
    out: dict[dt.date, Decimal] = {m: ZERO for m in months}
    if not months:
        return out
    for qs, agg, day, _unit in src.parts():
        wheres = _month_filters(day, qs.model, months)
        row = qs.order_by().aggregate(**{f"m{i}": _with_filter(agg, q) for i, q in enumerate(wheres)})
        for i, m in enumerate(months):
            out[m] += Decimal(row[f"m{i}"] or 0)
    return out
