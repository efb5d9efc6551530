"""Helpers for the areas' to-do items (core/registry.py `todo_item`).

A to-do kind answers for many readers at once: it runs ONE grouped query
(counts per unit, per worker, …) and shares the counts out in Python with
these helpers, so computing everyone's inbox for the daily digest costs the
same number of queries for 5 staff or 500. A reader at the district sees the
counts of their subtree per station (each linking to the list filtered to
that station); anyone else sees one total for their subtree."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise

from core.roles import Level


@dataclass(frozen=True)
class TodoEntry:
    count: int
    url: str  # straight to the action: the list filtered to these records, or the record
    label: str | Promise = ""  # instead of the item's label ("overdue, red card")
    station: str = ""  # the station, for a reader who sees several
    urgent: bool = False  # drawn red and first


class TodoContext:
    """What every kind needs: the moment, and the tree held in memory once."""

    def __init__(self, *, now: dt.datetime | None = None) -> None:
        self.now = now or timezone.now()
        self.today = timezone.localdate(self.now)

    @cached_property
    def units(self) -> dict[int, Any]:
        from orgs.models import OrgUnit

        return {u.pk: u for u in OrgUnit.objects.only("id", "parent_id", "level", "path", "name")}

    def station_of(self, unit_id: int) -> Any:
        unit = self.units[unit_id]
        if unit.level == Level.COMMUNITY and unit.parent_id in self.units:
            return self.units[unit.parent_id]
        return unit

    def sees(self, reader: Any, unit_id: int | None) -> bool:
        return unit_id in self.units and reader.unit is not None and reader.unit.contains(self.units[unit_id])


def with_param(url: str, name: str, value: Any) -> str:
    return f"{url}{'&' if '?' in url else '?'}{name}={value}"


def overview(reader: Any) -> bool:
    """Whether the reader sees their subtree per station (the district)."""
    return reader.unit is not None and reader.unit.level == Level.DISTRICT


def share_by_unit(
    readers: Iterable[Any],
    ctx: TodoContext,
    counts: Mapping[int, int],
    url: str,
    *,
    label: str | Promise = "",
    urgent: bool = False,
    unit_param: str = "unit",
) -> dict[int, list[TodoEntry]]:
    """{unit id: count} → each reader's entries for what lies in their subtree:
    per station for the district, one total for anyone else."""
    out: dict[int, list[TodoEntry]] = {}
    for reader in readers:
        mine = {uid: n for uid, n in counts.items() if n and ctx.sees(reader, uid)}
        if not mine:
            continue
        if overview(reader):
            stations: dict[int, int] = defaultdict(int)
            for uid, n in mine.items():
                stations[ctx.station_of(uid).pk] += n
            out[reader.pk] = [
                TodoEntry(n, with_param(url, unit_param, sid), label, ctx.units[sid].name, urgent)
                for sid, n in sorted(stations.items(), key=lambda kv: ctx.units[kv[0]].path)
            ]
        else:
            out[reader.pk] = [TodoEntry(sum(mine.values()), url, label, "", urgent)]
    return out


def merge(*parts: Mapping[int, list[TodoEntry]]) -> dict[int, list[TodoEntry]]:
    out: dict[int, list[TodoEntry]] = defaultdict(list)
    for part in parts:
        for uid, entries in part.items():
            out[uid].extend(entries)
    return dict(out)
