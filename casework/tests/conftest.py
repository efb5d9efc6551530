from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen() -> Iterator[dt.datetime]:
    """Monday 2026-11-23 10:00 in Shanghai."""
    with time_machine.travel(NOW, tick=False):
        yield NOW
