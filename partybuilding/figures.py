"""The Party-building figures (党建引领), counted in this one place for the
dashboard, the station and district reports and the API:

- Party-led activities: activities marked Party-led and held (done) that
  started in the period;
- Party-member volunteers' hours: hours of confirmed service records dated in the
  period whose volunteer is flagged a Party member (from the daily service
  rollup while it is current, see contracts.rollup);
- co-building commitments delivered in the period (by delivery date);
- proposals adopted through the five-level reporting (五级汇报), dated in the
  period.

Each figure is a grouped count over the unit's subtree, all sent as one
UNION ALL and shared out per child unit in Python, so a district's page costs
the same query for 2 stations or 20. The unit is already checked to be in the reader's scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contracts.actuals import day_bounds
from core.access import within
from core.roles import Level

ZERO = Decimal(0)
_NUMBER = DecimalField(max_digits=14, decimal_places=1)


Part = tuple[QuerySet, str, Any]  # records to add up: (queryset, unit path, aggregate)


def _activities(start: dt.date, end: dt.date) -> list[Part]:
    from casework.models import Activity

    lo, hi = day_bounds(start, end)
    qs = Activity.objects.filter(party_led=True, status="done", starts_at__gte=lo, starts_at__lt=hi)
    return [(qs, "unit", Count("pk"))]


def _volunteer_hours(start: dt.date, end: dt.date) -> list[Part]:
    """Read off the daily service rollup while it is current (its
    party_hours), and the records written since it was built."""
    from contracts.rollup import current, since
    from volunteering.models import ServiceRecord

    qs = ServiceRecord.objects.filter(volunteer__is_party_member=True, pending=False, date__gte=start, date__lte=end)
    rolled = current("hours")
    if rolled is None:
        return [(qs, "unit", Sum("hours"))]
    days = rolled.rows.filter(day__gte=start, day__lte=end)
    return [(days, "unit", Sum("party_hours")), (since(qs, rolled.after), "unit", Sum("hours"))]


def _delivered(start: dt.date, end: dt.date) -> list[Part]:
    from partybuilding.models import Commitment

    qs = Commitment.objects.filter(delivered_on__gte=start, delivered_on__lte=end)
    return [(qs, "agreement__unit", Count("pk"))]


def _proposals(start: dt.date, end: dt.date) -> list[Part]:
    from workrecords.models import ReportingEntry, ReportingKind

    qs = ReportingEntry.objects.filter(kind=ReportingKind.PROPOSAL, adopted=True, date__gte=start, date__lte=end)
    return [(qs, "unit", Count("pk"))]


# (code, label, the period's records as parts to add up)
FIGURES: list[tuple[str, str | Promise, Callable[[dt.date, dt.date], list[Part]]]] = [
    ("party_activities", pgettext_lazy("figure", "Party-led activities"), _activities),
    ("party_volunteer_hours", pgettext_lazy("figure", "Party-member volunteers' hours"), _volunteer_hours),
    ("commitments_delivered", pgettext_lazy("figure", "Co-building commitments delivered"), _delivered),
    ("proposals_adopted", pgettext_lazy("figure", "Proposals adopted (five-level reporting)"), _proposals),
]


@dataclass
class Row:
    label: str
    unit: Any
    own: bool  # the unit's own level (本级): records filed at the unit itself
    values: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class PartyFigures:
    unit: Any
    start: dt.date
    end: dt.date
    rows: list[Row]
    totals: dict[str, Decimal]
    overdue: int  # commitments past their due date and not delivered, today

    @property
    def headers(self) -> list[tuple[str, str | Promise]]:
        return [(code, label) for code, label, _fn in FIGURES]

    def as_rows(self) -> list[dict[str, Any]]:
        codes = [code for code, _l, _f in FIGURES]
        return [
            {"label": r.label, "unit": r.unit, "own": r.own, "values": [r.values[c] for c in codes]} for r in self.rows
        ]

    @property
    def cards(self) -> list[tuple[str, str | Promise, Decimal]]:
        return [(code, label, self.totals[code]) for code, label, _f in FIGURES]

    @property
    def total_values(self) -> list[Decimal]:
        return [self.totals[code] for code, _l, _f in FIGURES]


def overdue_commitments(roots: Sequence[Any], today: dt.date) -> QuerySet:
    """Commitments under `roots` past their due date and not delivered."""
    from partybuilding.models import Commitment

    return Commitment.objects.filter(within(roots, "agreement__unit"), delivered_on__isnull=True, due_on__lt=today)


def party_figures(
    unit: Any, start: dt.date, end: dt.date, *, children: Sequence[Any] | None = None, today: dt.date | None = None
) -> PartyFigures:
    """`unit`'s Party-building figures over [start, end]: its own level, a row
    per child unit, and the total (the rows add up to it). One query (a
    UNION ALL of the figures' counts grouped by the records' unit paths, and
    the overdue commitments), plus one for the children unless the caller
    has them (the dashboard and the report do), and the service rollup's
    verdict, which the other figures of the page share."""
    from orgs.models import OrgUnit

    today = today or timezone.localdate()
    if children is None:
        children = list(OrgUnit.objects.filter(parent=unit).order_by("path")) if unit.level != Level.COMMUNITY else []
    parts = [(code, *part) for code, _label, records in FIGURES for part in records(start, end)]
    parts.append(("overdue", overdue_commitments([unit], today), "agreement__unit", Count("pk")))
    grouped = [
        qs.filter(within(unit, path) if code != "overdue" else Q())
        .order_by()
        .values(f"{path}__path")
        .annotate(v=Cast(agg, _NUMBER), code=Value(code))
        .values_list("code", f"{path}__path", "v")
        for code, qs, path, agg in parts
    ]
    values: dict[str, dict[int | None, Decimal]] = {code: {} for code, *_rest in parts}
    for code, path, v in grouped[0].union(*grouped[1:], all=True):
        where = OrgUnit(path=path)
        key = next((c.pk for c in children if c.contains(where)), None)
        values[code][key] = values[code].get(key, ZERO) + Decimal(v or 0)
    totals = {code: sum(values[code].values(), ZERO) for code, _l, _f in FIGURES}
    own = {c: values[c].get(None, ZERO) for c in totals}
    rows = [Row(str(_("Own level")) if children else unit.name, unit, True, own)]
    rows += [Row(ch.name, ch, False, {c: values[c].get(ch.pk, ZERO) for c in totals}) for ch in children]
    return PartyFigures(unit, start, end, rows, totals, int(sum(values["overdue"].values(), ZERO)))


def report_lines(
    unit: Any, start: dt.date, end: dt.date, children: Sequence[Any] | None = None
) -> list[tuple[str, int | Decimal]]:
    """The figures as (label, value) lines for a report's work-records list,
    whole numbers as int."""
    figures = party_figures(unit, start, end, children=children)
    out: list[tuple[str, int | Decimal]] = []
    for code, label, _f in FIGURES:
        v = figures.totals[code]
        out.append((str(label), int(v) if v == v.to_integral_value() else v))
    return out
