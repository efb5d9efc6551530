"""The figures a station reports (seed-style: cases, visits, activities,
person-times, organisations / members / Party members, volunteer hours,
resources in RMB, satisfaction), per child unit and in total. Every figure
comes from contracts.actuals, so a report, a dashboard and a contract's
progress never disagree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from contracts.actuals import actual, actuals_per_unit

# (code, label, is a level rather than a sum)
FIGURES: list[tuple[str, str | Promise, bool]] = [
    ("cases", pgettext_lazy("figure", "Cases"), False),
    ("key_visits", pgettext_lazy("figure", "Visits to key recipients"), False),
    ("activities", pgettext_lazy("figure", "Activities"), False),
    ("groups", pgettext_lazy("figure", "Groups"), False),
    ("person_times", pgettext_lazy("figure", "Person-times served"), False),
    ("unique_persons", pgettext_lazy("figure", "Persons served"), False),
    ("organisations", pgettext_lazy("figure", "Community organisations"), False),
    ("organisation_members", pgettext_lazy("figure", "Organisation members"), False),
    ("party_members", pgettext_lazy("figure", "of whom Party members"), False),
    ("volunteers_recruited", pgettext_lazy("figure", "Volunteers recruited"), False),
    ("volunteer_hours", pgettext_lazy("figure", "Volunteer hours"), False),
    ("resources_rmb", pgettext_lazy("figure", "Resources linked (RMB)"), False),
    ("monthly_visit_rate", pgettext_lazy("figure", "Monthly visit rate (%)"), True),
    ("satisfaction", pgettext_lazy("figure", "Satisfaction (%)"), True),
]
LABELS = {code: label for code, label, _level in FIGURES}


@dataclass
class FigureTable:
    units: list[Any]
    codes: list[str]
    rows: dict[int, dict[str, Decimal | None]] = field(default_factory=dict)
    totals: dict[str, Decimal | None] = field(default_factory=dict)
    unavailable: set[str] = field(default_factory=set)

    def as_rows(self) -> list[dict[str, Any]]:
        return [{"unit": u, "values": [self.rows[u.pk].get(c) for c in self.codes]} for u in self.units]

    @property
    def headers(self) -> list[tuple[str, Any]]:
        return [(c, LABELS[c]) for c in self.codes]

    @property
    def total_values(self) -> list[Decimal | None]:
        return [self.totals.get(c) for c in self.codes]


def _party_members(units: Sequence[Any], start: dt.date, end: dt.date) -> dict[int, Decimal] | None:
    """Party members of the organisations counted by organisation_members."""
    out = {}
    for u in units:
        result = actual("organisation_members", [u], start, end)
        if not result.available:
            return None
        out[u.pk] = Decimal(result.breakdown.get("party_members", 0))
    return out


def figure_table(units: Sequence[Any], start: dt.date, end: dt.date, codes: list[str] | None = None) -> FigureTable:
    """Figures for each of `units` (disjoint subtrees the caller has scoped)
    over [start, end], and their total."""
    units = list(units)
    codes = codes or [c for c, _l, _v in FIGURES]
    table = FigureTable(units=units, codes=codes, rows={u.pk: {} for u in units})
    if not units:
        return table
    levels = {c for c, _l, level in FIGURES if level}
    for code in codes:
        if code == "party_members":
            per = _party_members(units, start, end)
            if per is None:
                _unavailable(table, code)
                continue
            for u in units:
                table.rows[u.pk][code] = per[u.pk]
            table.totals[code] = sum(per.values(), Decimal(0))
            continue
        available, per_unit = actuals_per_unit(code, units, start, end)
        if not available:
            _unavailable(table, code)
            continue
        for u in units:
            table.rows[u.pk][code] = per_unit.get(u.pk)
        if code in levels:  # a rate or an average: computed over all units together
            table.totals[code] = actual(code, units, start, end).value
        else:
            table.totals[code] = sum((v or Decimal(0) for v in per_unit.values()), Decimal(0))
    return table


def _unavailable(table: FigureTable, code: str) -> None:
    table.unavailable.add(code)
    for row in table.rows.values():
        row[code] = None
