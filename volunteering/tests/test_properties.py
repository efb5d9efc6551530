from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from volunteering.selectors import star_level
from volunteering.services import working_days_between

hours = st.decimals(min_value=0, max_value=100000, places=1, allow_nan=False, allow_infinity=False)
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))


@given(hours, hours)
def test_it_never_lowers_the_star_level_when_hours_grow(a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    assert 0 <= star_level(low) <= star_level(high) <= 5


@given(days, st.integers(min_value=0, max_value=60))
def test_it_counts_working_days_like_a_calendar(start: dt.date, span: int) -> None:
    end = start + dt.timedelta(days=span)
    expected = sum(1 for k in range(1, span + 1) if (start + dt.timedelta(days=k)).weekday() < 5)
    assert working_days_between(start, end) == expected
    assert working_days_between(end, start) == 0
