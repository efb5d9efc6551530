"""The to-do inbox (待办): every area's to-do items (core/registry.py
`todo_item`) for one reader on the home page, or for everyone at once for
the daily digest. Each kind runs one grouped query for all its readers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from core.registry import TODO_ITEMS
from core.todo import TodoContext


@dataclass(frozen=True)
class InboxRow:
    label: str
    count: int
    url: str
    station: str
    urgent: bool


def inbox_for(readers: Sequence[Any], *, now: dt.datetime | None = None) -> dict[int, list[InboxRow]]:
    """{reader id: rows}, urgent first, then in the items' order."""
    ctx = TodoContext(now=now)
    out: dict[int, list[InboxRow]] = {r.pk: [] for r in readers}
    readers = [r for r in readers if r.unit is not None]
    for item in TODO_ITEMS:
        for uid, entries in item.collect(readers, ctx).items():
            out[uid].extend(
                InboxRow(str(e.label or item.label), e.count, e.url, e.station, e.urgent) for e in entries if e.count
            )
    for rows in out.values():
        rows.sort(key=lambda r: not r.urgent)  # stable: the items' order within each
    return out


def inbox(user: Any, *, now: dt.datetime | None = None) -> list[InboxRow]:
    return inbox_for([user], now=now)[user.pk]
