"""Pro-rated targets are stated as precisely as their figure is counted:
counts in whole numbers (half up), money to the fen, hours to a tenth."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.actuals import Actual
from contracts.models import Contract, Kpi, KpiTarget
from contracts.progress import PERIOD_KINDS, contract_progress, measured_range, period_for
from contracts.progress import _cell as cell
from contracts.tests.factories import contract_for, target

D = dt.date
YEAR = Contract(start=D(2026, 1, 1), end=D(2026, 12, 31))
AFTER = D(2027, 1, 1)  # the whole contract has elapsed


def _target(code: str, value: str, contract: Contract = YEAR) -> Decimal | None:
    return _cell_for(code, value, contract, period_for("quarter", D(2026, 2, 1)))[0]


def _cell_for(code: str, value: str, contract: Contract, period, today: dt.date = AFTER):
    t = KpiTarget(kpi=Kpi(code=code, kind="count"), target=Decimal(value))
    span = measured_range(contract, period, today)
    c = cell(contract, t, period, span, Actual(value=Decimal(0)))
    return c.target, c.expected


def test_it_rounds_countable_targets_half_up_to_whole_numbers():
    # 6 groups a year: Q1 has 90 of 365 days → 1.48 → 1; Q3 92 days → 1.51 → 2
    assert _target("groups", "6") == Decimal(1)
    assert _cell_for("groups", "6", YEAR, period_for("quarter", D(2026, 8, 1)))[0] == Decimal(2)
    # 9 cases: January 0.76 → 1, February 0.69 → 1
    assert _cell_for("cases", "9", YEAR, period_for("month", D(2026, 1, 5)))[0] == Decimal(1)
    assert str(_target("activities", "100")) == "25"  # 24.66 → 25, no decimals shown


def test_it_keeps_fen_for_money_and_a_tenth_for_hours():
    assert str(_target("resources_rmb", "160000")) == "39452.05"  # 160000 × 90 / 365
    assert str(_target("volunteer_hours", "3000")) == "739.7"


def test_it_rounds_the_expected_progress_the_same_way():
    period = period_for("quarter", D(2026, 2, 1))
    target_q1, expected = _cell_for("key_visits", "350", YEAR, period, today=D(2026, 2, 14))
    assert (target_q1, expected) == (Decimal(86), Decimal(43))  # 86.3 → 86; 45 of 90 days → 43


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(D(2024, 1, 1), D(2027, 12, 31)),
    length=st.integers(0, 800),
    day=st.dates(D(2024, 1, 1), D(2030, 12, 31)),
    kind=st.sampled_from(PERIOD_KINDS),
    value=st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False),
    code=st.sampled_from(["cases", "groups", "person_times", "volunteer_hours", "resources_rmb"]),
)
def test_it_never_shows_a_fraction_of_a_countable_target(start, length, day, kind, value, code):
    contract = Contract(start=start, end=start + dt.timedelta(days=length))
    target_p, expected = _cell_for(code, str(value), contract, period_for(kind, day, contract), today=day)
    places = {"volunteer_hours": 1, "resources_rmb": 2}.get(code, 0)
    for figure in (target_p, expected):
        assert figure == figure.quantize(Decimal(1).scaleb(-places))
        assert -figure.as_tuple().exponent == places or figure == 0


@pytest.mark.django_db
def test_it_shows_whole_targets_on_the_contract_page(tree, as_user, admin):
    contract = contract_for([tree.station_a], unit=tree.district)
    target(contract, tree.station_a, "groups", 6)
    with time_machine.travel(dt.datetime(2026, 5, 1, 4, tzinfo=dt.UTC)):
        (row,) = contract_progress(contract, [tree.station_a], period_for("quarter", D(2026, 2, 1)))
        page = as_user(admin).get(f"/contracts/{contract.pk}/?period=quarter&date=2026-02-01").content.decode()
    assert row.cells[0].target == 1
    main = page[page.index("<main") :]  # the top bar's icons hold numbers of their own
    assert "/ 1<br>" in main and "1.5" not in main
