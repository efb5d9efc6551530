"""Dashboard data per level: the district compares its stations, a station
its communities, a community its people. Each chart is a dict the static
dashboard.js turns into an ECharts option; the same figures are rendered as a
table beside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.actuals import by_month, in_units, month_starts
from contracts.models import Contract
from contracts.progress import contract_progress, period_for
from core.access import scope, unit_subtree
from core.roles import Level
from reports.figures import LABELS, figure_table

DASHBOARD_FIGURES = [
    "cases",
    "case_conferences",
    "key_visits",
    "activities",
    "person_times",
    "organisations",
    "organisation_members",
    "volunteer_hours",
    "resources_rmb",
    "satisfaction",
]
PROGRESS_KPIS = ["key_visits", "activities", "person_times", "cases", "volunteer_hours"]
CARD_COLOURS = {"red": "#dc2626", "blue": "#2563eb", "green": "#16a34a"}


def _num(v: Any) -> float | None:
    return float(v) if v is not None else None


def _chart(key: str, title: str, kind: str, categories: list[str], series: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": f"chart-{key}",
        "data_id": f"chart-{key}-data",
        "title": title,
        "kind": kind,
        "categories": categories,
        "series": series,
        # many units read better as horizontal bars; months stay vertical
        "horizontal": kind == "bar" and len(categories) > 6 and key not in {"hours", "cards"},
    }


# The monthly series are KPIs counted per month by the same sources as the
# figures table, so a chart's months add up to the table's total.
SERVICE_SERIES = ["key_visits", "activities", "cases"]


def _series(code: str, root: Any, start: dt.date, end: dt.date, months: list[dt.date]) -> dict[str, Any] | None:
    per_month = by_month(code, root, start, end)
    if per_month is None:
        return None
    return {"name": str(LABELS[code]), "data": [_num(per_month.get(m, 0)) for m in months]}


def services_over_time(root: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    months = month_starts(start, end)
    series = [s for code in SERVICE_SERIES if (s := _series(code, root, start, end, months))]
    return _chart("services", _("Services over time"), "line", [m.strftime("%Y-%m") for m in months], series)


def volunteer_hours_by_month(root: Any, start: dt.date, end: dt.date) -> dict[str, Any]:
    months = month_starts(start, end)
    hours = _series("volunteer_hours", root, start, end, months)
    return _chart("hours", _("Volunteer hours"), "bar", [m.strftime("%Y-%m") for m in months], [hours] if hours else [])


def cards_by_domain(user: Any, root: Any) -> dict[str, Any]:
    """Current cards (一分三卡) of the recipients, per service domain of their
    active categories; a person with categories in two domains counts in both.
    The grading board's count (grading.category_keys.domain_cells) over the
    same cards (grades_current: residents still in care), so both pages agree."""
    from core.models import ServiceDomain
    from grading.category_keys import domain_cells
    from grading.models import Card
    from grading.selectors import grades_current

    domains = list(ServiceDomain.objects.filter(active=True).order_by("order"))
    grades = grades_current(user).filter(in_units([root]))
    cells = domain_cells(grades, timezone.localdate())
    series = [
        {
            "name": str(Card(card).label),
            "colour": CARD_COLOURS[card],
            "stack": "cards",
            "data": [cells.get((None, card, d.pk), 0) for d in domains],
        }
        for card in ("red", "blue", "green")
    ]
    return _chart("cards", _("Cards by domain"), "bar", [d.name for d in domains], series)


def kpi_progress(user: Any, root: Any, children: list[Any], day: dt.date, known: Any = None) -> dict[str, Any] | None:
    """% of this year's pro-rated target reached, per station, for the main
    KPIs of the contract covering them (the latest one)."""
    stations = children if root.level == Level.DISTRICT else [root] if root.level == Level.STATION else []
    if not stations:
        return None
    contract = (
        Contract.objects.filter(stations__in=[s.pk for s in stations], start__lte=day, end__gte=day)
        .order_by("-start")
        .first()
    )
    if contract is None:
        return None
    period = period_for("year", day)
    rows = contract_progress(contract, stations, period, today=day, codes=PROGRESS_KPIS, known=known)
    series = []
    for code in PROGRESS_KPIS:
        data = []
        for row in rows:
            cell = next((c for c in row.cells if c.kpi.code == code), None)
            data.append(
                _num(cell.actual.value * 100 / cell.expected)
                if cell and cell.expected and cell.actual.value is not None
                else None
            )
        if any(v is not None for v in data):
            series.append({"name": str(LABELS[code]), "data": data})
    chart = _chart(
        "progress", _("KPI progress (per cent of expected to date)"), "bar", [s.name for s in stations], series
    )
    chart["contract"] = {"id": contract.pk, "name": contract.name}
    chart["behind"] = [row.unit.pk for row in rows if row.behind]
    chart["links"] = {row.unit.name: row.unit.pk for row in rows}
    return chart


def children_of(user: Any, root: Any) -> list[Any]:
    return list(unit_subtree(user).filter(parent=root).order_by("path"))


def check_year(year: int) -> None:
    """0 means this year; anything else must be a plausible year."""
    from django.core.exceptions import ValidationError

    if year and not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Give a year between 2000 and 2100.")})


def dashboard(user: Any, root: Any, year: int) -> dict[str, Any]:
    today = timezone.localdate()
    start = dt.date(year, 1, 1)
    end = min(dt.date(year, 12, 31), today) if year == today.year else dt.date(year, 12, 31)
    children = children_of(user, root) if root.level != Level.COMMUNITY else []
    table = figure_table(root, children, start, end, DASHBOARD_FIGURES)
    charts = []
    # the figures just counted for [start, end] serve the progress too
    known = (start, end, {c: (c not in table.unavailable, table.per_unit(c)) for c in table.codes})
    progress = kpi_progress(user, root, children, min(end, dt.date(year, 12, 31)), known=known)
    if progress:
        charts.append(progress)
    charts.append(cards_by_domain(user, root))
    charts.append(services_over_time(root, start, end))
    charts.append(volunteer_hours_by_month(root, start, end))
    resources = [c for c in ("organisations", "organisation_members", "resources_rmb") if c not in table.unavailable]
    rows = table.as_rows()
    charts.append(
        _chart(
            "resources",
            _("Organisations and resources"),
            "bar",
            [r["label"] for r in rows],
            [{"name": str(LABELS[c]), "data": [_num(r.values[c]) for r in table.rows]} for c in resources],
        )
    )
    for chart in charts:
        chart["table"] = _table_of(chart)
    return {"start": start, "end": end, "table": table, "charts": charts, "children": children}


def _table_of(chart: dict[str, Any]) -> dict[str, Any]:
    """The chart's figures as rows: one per category, one column per series."""
    header = [s["name"] for s in chart["series"]]
    rows = []
    for i, cat in enumerate(chart["categories"]):
        rows.append({"label": cat, "values": [s["data"][i] for s in chart["series"]]})
    return {"header": header, "rows": rows}


def community_people(user: Any, community: Any) -> dict[str, Any]:
    """A community's recipients: counts per card and per category, and who is
    due for a follow-up first (names only for staff in scope)."""
    from grading.models import PersonGrade
    from people.models import PersonCategory

    today = timezone.localdate()
    grades = scope(PersonGrade.objects.filter(unit=community), user).select_related("person")
    by_card = dict(grades.order_by().values("card").annotate(n=Count("pk")).values_list("card", "n"))
    cats = (
        scope(PersonCategory.objects.filter(person__unit=community, start_date__lte=today), user, "person__unit")
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .values("category__name")
        .annotate(n=Count("person", distinct=True))
        .order_by("-n")
    )
    due = grades.filter(next_due__isnull=False).order_by("next_due")[:20]
    overdue = grades.filter(next_due__lt=today).count()
    return {"by_card": by_card, "categories": list(cats), "due": list(due), "overdue": overdue}
