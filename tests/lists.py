"""Test helpers for list pages built with core/lists.py (docs/lists.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone


def queries_for(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    return len(ctx.captured_queries)


def assert_flat_queries(client: Any, url: str, add_rows: Callable[[int], Any], *, n: int = 3, factor: int = 10) -> None:
    """A list page issues the same number of queries with n and n×factor rows
    (no query per row). `add_rows(k)` creates k more rows the client sees."""
    # The clock stands still while counting: what a page re-checks after a
    # few seconds (the roll-ups' verdict, the session's renewal) would
    # otherwise land in whichever count a slow machine reaches it.
    with time_machine.travel(timezone.now(), tick=False):
        client.get(url)  # warm up: session renewal and per-process caches
        add_rows(n)
        small = queries_for(client, url)
        add_rows(n * factor - n)
        large = queries_for(client, url)
    assert small == large, f"{url}: {small} queries with {n} rows, {large} with {n * factor}"


def xlsx_rows(response: Any) -> list[tuple[Any, ...]]:
    """The rows of an exported xlsx's first sheet, as values."""
    import io

    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return list(ws.iter_rows(values_only=True))
