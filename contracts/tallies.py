"""What a KPI's counting function returns: the figure's ingredients keyed by
the unit each record is filed at, so that any row — a community's or a
station's subtree, or a unit's own level (站本级) — is read off the same
tally with no further query. `value(ids)` is the figure over the records
filed at any of `ids`; a row and a total differ only in the ids they pass."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)
TENTH = Decimal("0.1")


@dataclass
class SumTally:
    """A plain sum over records (counts, hours, RMB): rows add up to the total."""

    by_unit: dict[int, Decimal]
    parts: dict[str, dict[int, Decimal]] = field(default_factory=dict)  # a breakdown by kind
    available: bool = True
    summable = True

    def value(self, ids: Collection[int]) -> Decimal | None:
        return sum((self.by_unit.get(i, ZERO) for i in ids), ZERO)

    def breakdown(self, ids: Collection[int]) -> dict[str, Decimal]:
        return {k: sum((v.get(i, ZERO) for i in ids), ZERO) for k, v in self.parts.items()}


@dataclass
class PersonsTally:
    """Distinct named residents: each row and the total de-duplicate on their
    own, so a resident served in two communities counts once in the station."""

    by_unit: dict[int, set[int]]
    available: bool = True
    summable = False

    def value(self, ids: Collection[int]) -> Decimal | None:
        seen: set[int] = set()
        for i in ids:
            seen |= self.by_unit.get(i, set())
        return Decimal(len(seen))

    def breakdown(self, ids: Collection[int]) -> dict[str, Decimal]:
        return {}


@dataclass
class RateTally:
    """月探访率: per month, the share of carded recipients visited at least
    once; the figure is the mean over the months (None without recipients).
    A recipient's card is filed at one unit, so both counts add up across
    units."""

    graded: dict[int, int]  # unit → recipients graded there
    months: dict[dt.date, dict[int, int]]  # month → unit → of those, visited that month
    available: bool = True
    summable = False

    def value(self, ids: Collection[int]) -> Decimal | None:
        people = sum(self.graded.get(i, 0) for i in ids)
        if not people or not self.months:
            return None
        rates = [Decimal(sum(seen.get(i, 0) for i in ids)) * 100 / people for seen in self.months.values()]
        return (sum(rates, ZERO) / len(rates)).quantize(TENTH)

    def breakdown(self, ids: Collection[int]) -> dict[str, Decimal]:
        return {}


@dataclass
class MeanTally:
    """An average score scaled to per cent (满意度: 5 = 100%)."""

    by_unit: dict[int, tuple[Decimal, int]]  # unit → (sum of scores, number of scores)
    scale: Decimal = Decimal(20)
    available: bool = True
    summable = False

    def value(self, ids: Collection[int]) -> Decimal | None:
        total, n = ZERO, 0
        for i in ids:
            s, k = self.by_unit.get(i, (ZERO, 0))
            total, n = total + s, n + k
        return (total * self.scale / n).quantize(TENTH) if n else None

    def breakdown(self, ids: Collection[int]) -> dict[str, Decimal]:
        return {}


@dataclass
class Unavailable:
    """The source is not installed: “n/a”, never a made-up zero."""

    available: bool = False
    summable = False

    def value(self, ids: Collection[int]) -> Decimal | None:
        return None

    def breakdown(self, ids: Collection[int]) -> dict[str, Decimal]:
        return {}


Tally = SumTally | PersonsTally | RateTally | MeanTally | Unavailable
