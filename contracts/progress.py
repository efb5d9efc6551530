"""Progress against target: per station, KPI and period (month, quarter,
year or the whole contract), with the expected progress pro-rated by the days
elapsed and stations falling behind flagged."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.actuals import Actual, actuals_per_unit
from contracts.models import Contract, Kpi, KpiKind, KpiTarget

PERIOD_KINDS = ("month", "quarter", "year", "contract")


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if self.kind == "month":
            return self.start.strftime("%Y-%m")
        if self.kind == "quarter":
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"


def period_for(kind: str, day: dt.date, contract: Contract | None = None) -> Period:
    if kind == "month":
        start = day.replace(day=1)
        end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    elif kind == "quarter":
        q0 = (day.month - 1) // 3 * 3 + 1
        start = dt.date(day.year, q0, 1)
        end = (dt.date(day.year + 1, 1, 1) if q0 == 10 else dt.date(day.year, q0 + 3, 1)) - dt.timedelta(days=1)
    elif kind == "year":
        start, end = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    elif kind == "contract" and contract is not None:
        start, end = contract.start, contract.end
    else:
        raise ValueError(kind)
    return Period(kind, start, end)


def _days(a: dt.date, b: dt.date) -> int:
    return max((b - a).days + 1, 0)


@dataclass
class Cell:
    kpi: Kpi
    target: Decimal | None  # for this period
    expected: Decimal | None  # by today
    actual: Actual
    behind: bool = False

    @property
    def pro_rated(self) -> bool:
        """A count is expected to grow over the period (its expected figure is
        shown); a level is to be held throughout."""
        return self.kpi.kind == KpiKind.COUNT

    @property
    def pct(self) -> Decimal | None:
        if self.target in (None, 0) or self.actual.value is None:
            return None
        return (self.actual.value * 100 / self.target).quantize(Decimal("1"))


@dataclass
class StationProgress:
    unit: Any
    cells: list[Cell] = field(default_factory=list)

    @property
    def behind(self) -> bool:
        return any(c.behind for c in self.cells)

    @property
    def behind_kpis(self) -> list[str]:
        return [c.kpi.name for c in self.cells if c.behind]


# Pro-rated targets are stated as precisely as the figure itself is counted:
# records are whole numbers, money has fen, hours a tenth (docs/kpis.md).
PRECISION = {"resources_rmb": Decimal("0.01"), "volunteer_hours": Decimal("0.1")}


def precision(code: str) -> Decimal:
    return PRECISION.get(code, Decimal(1))


def tolerance() -> Decimal:
    return Decimal(str(getattr(settings, "LINLI_KPI_BEHIND_TOLERANCE", 0.1)))


def measured_range(contract: Contract, period: Period, today: dt.date) -> tuple[dt.date, dt.date] | None:
    start, end = max(period.start, contract.start), min(period.end, contract.end, today)
    return (start, end) if start <= end else None


def _cell(
    contract: Contract,
    target: KpiTarget,
    period: Period,
    span: tuple[dt.date, dt.date] | None,
    act: Actual,
) -> Cell:
    kpi = target.kpi
    overlap = _days(max(period.start, contract.start), min(period.end, contract.end))
    if kpi.kind == KpiKind.LEVEL:
        period_target = expected = target.target
    else:
        step = precision(kpi.code)
        share = target.target * overlap / _days(contract.start, contract.end)
        period_target = share.quantize(step, ROUND_HALF_UP)
        elapsed = _days(max(period.start, contract.start), span[1]) if span else 0
        expected = (period_target * elapsed / overlap).quantize(step, ROUND_HALF_UP) if overlap else Decimal(0)
    behind = False
    if act.available and span is not None and expected:
        if kpi.kind == KpiKind.LEVEL and act.value is None:
            behind = False  # nothing measured yet: not a shortfall
        else:
            value = act.value if act.value is not None else Decimal(0)
            behind = value < expected * (1 - tolerance())
    return Cell(kpi=kpi, target=period_target, expected=expected, actual=act, behind=behind)


def contract_progress(
    contract: Contract,
    stations: Sequence[Any],
    period: Period,
    today: dt.date | None = None,
    codes: Sequence[str] | None = None,
    known: tuple[dt.date, dt.date, dict[str, tuple[bool, dict[int, Decimal | None]]]] | None = None,
) -> list[StationProgress]:
    """Each station's cells; every KPI is counted once for all stations.
    `known` = (start, end, {code: (available, {unit.pk: figure})}) reuses
    figures the caller already counted over exactly the measured range."""
    today = today or timezone.localdate()
    chosen = KpiTarget.objects.filter(contract=contract, unit__in=[s.pk for s in stations], kpi__active=True)
    if codes is not None:
        chosen = chosen.filter(kpi__code__in=list(codes))
    targets = list(chosen.select_related("kpi", "unit").order_by("kpi__order"))
    span = measured_range(contract, period, today)
    figures: dict[str, tuple[bool, dict[int, Decimal | None]]] = {}
    if span is not None:
        for code in dict.fromkeys(t.kpi.code for t in targets):
            if known is not None and (known[0], known[1]) == span and code in known[2]:
                figures[code] = known[2][code]
                continue
            covered = [s for s in stations if any(t.unit_id == s.pk and t.kpi.code == code for t in targets)]
            figures[code] = actuals_per_unit(code, covered, *span)
    rows = []
    for station in stations:
        row = StationProgress(unit=station)
        for t in targets:
            if t.unit_id != station.pk:
                continue
            available, values = figures.get(t.kpi.code, (True, {}))
            act = Actual(value=values.get(station.pk), available=available) if span else Actual(value=None)
            row.cells.append(_cell(contract, t, period, span, act))
        rows.append(row)
    return rows


def check_period_kind(kind: str) -> None:
    from django.core.exceptions import ValidationError

    if kind not in PERIOD_KINDS:
        raise ValidationError({"period": _("Choose month, quarter, year or contract.")})


def describe(period: Period) -> str:
    return {
        "month": _("month"),
        "quarter": _("quarter"),
        "year": _("year"),
        "contract": _("whole contract"),
    }[period.kind]
