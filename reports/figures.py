"""The figures a station reports (seed-style: cases, visits, activities,
person-times, organisations / members / Party members, volunteer hours,
resources in RMB, satisfaction), per child unit, for the unit's own level
(站本级: records filed at the station itself) and in total. Every figure is
read off contracts.actuals' tallies, so a report, a dashboard, a contract's
progress and the API never disagree, and the rows add up to the total."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy

from contracts.actuals import count, subtree_ids
from contracts.tallies import Tally
from core.roles import Level

# (code, label); party_members is organisation_members' breakdown
FIGURES: list[tuple[str, str | Promise]] = [
    ("cases", pgettext_lazy("figure", "Cases")),
    ("case_conferences", pgettext_lazy("figure", "Case conferences")),
    ("key_visits", pgettext_lazy("figure", "Visits to key recipients")),
    ("activities", pgettext_lazy("figure", "Activities")),
    ("groups", pgettext_lazy("figure", "Groups")),
    ("person_times", pgettext_lazy("figure", "Person-times served")),
    ("unique_persons", pgettext_lazy("figure", "Persons served")),
    ("organisations", pgettext_lazy("figure", "Community organisations")),
    ("organisation_members", pgettext_lazy("figure", "Organisation members")),
    ("party_members", pgettext_lazy("figure", "of whom Party members")),
    ("volunteers_recruited", pgettext_lazy("figure", "Volunteers recruited")),
    ("volunteer_hours", pgettext_lazy("figure", "Volunteer hours")),
    ("resources_rmb", pgettext_lazy("figure", "Resources linked (RMB)")),
    ("monthly_visit_rate", pgettext_lazy("figure", "Monthly visit rate (%)")),
    ("satisfaction", pgettext_lazy("figure", "Satisfaction (%)")),
]
LABELS = dict(FIGURES)


@dataclass
class FigureRow:
    unit: Any
    own: bool  # only the records filed at the unit itself, not below it
    values: dict[str, Decimal | None]

    @property
    def label(self) -> str:
        if not self.own:
            return self.unit.name
        if self.unit.level == Level.DISTRICT:
            return gettext("District centre's own level")
        return gettext("Station's own level")


@dataclass
class FigureTable:
    root: Any
    codes: list[str]
    rows: list[FigureRow] = field(default_factory=list)
    totals: dict[str, Decimal | None] = field(default_factory=dict)
    unavailable: set[str] = field(default_factory=set)

    @property
    def units(self) -> list[Any]:
        """The child units with a row of their own (the root's own level aside)."""
        return [r.unit for r in self.rows if not r.own]

    def as_rows(self) -> list[dict[str, Any]]:
        return [
            {"unit": r.unit, "own": r.own, "label": r.label, "values": [r.values.get(c) for c in self.codes]}
            for r in self.rows
        ]

    def per_unit(self, code: str) -> dict[int, Decimal | None]:
        """{unit.pk: figure over its subtree} for the children and the root."""
        out = {r.unit.pk: r.values.get(code) for r in self.rows if not r.own}
        out[self.root.pk] = self.totals.get(code)
        return out

    @property
    def headers(self) -> list[tuple[str, Any]]:
        return [(c, LABELS[c]) for c in self.codes]

    @property
    def total_values(self) -> list[Decimal | None]:
        return [self.totals.get(c) for c in self.codes]


def figure_table(
    root: Any, children: Sequence[Any], start: dt.date, end: dt.date, codes: list[str] | None = None
) -> FigureTable:
    """`root`'s figures over [start, end]: a row per child unit (a subtree),
    one for the root's own level when it has children, and the total. The
    caller has checked `root` is in scope (so is everything below it)."""
    children = list(children)
    codes = codes or [c for c, _l in FIGURES]
    table = FigureTable(root=root, codes=codes)
    ids = subtree_ids([root, *children])
    layout: list[tuple[Any, bool, frozenset[int]]] = [(c, False, ids[c.pk]) for c in children]
    if children:
        layout.insert(0, (root, True, frozenset({root.pk})))
    else:
        layout = [(root, False, ids[root.pk])]
    table.rows = [FigureRow(unit=u, own=own, values={}) for u, own, _ids in layout]
    tallies: dict[str, Tally] = {}
    for code in codes:
        kpi = "organisation_members" if code == "party_members" else code
        if kpi not in tallies:
            tallies[kpi] = count(kpi, [root], start, end)
        tally = tallies[kpi]
        if not tally.available:
            table.unavailable.add(code)

        def figure(row_ids: frozenset[int], tally: Tally = tally, code: str = code) -> Decimal | None:
            if code == "party_members":
                return tally.breakdown(row_ids).get("party_members") if tally.available else None
            return tally.value(row_ids)

        for row, (_u, _own, row_ids) in zip(table.rows, layout, strict=True):
            row.values[code] = figure(row_ids)
        table.totals[code] = figure(ids[root.pk])
    return table
