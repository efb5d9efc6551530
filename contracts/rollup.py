"""Daily rollups of the two large tables: volunteer service records (hours)
and visits, summed per unit and day.

`refresh()` recomputes each rollup in one grouped query (seconds for a
million records) and records, per source, the row count and highest id it
was built from. A reader asks `current(name)`: while every record the rollup
was built from is still there (one counting query), the figures are the
rollup's rows plus the records added since (`Current.after`: an indexed id
range, small between refreshes), so a new record counts at once and a figure
is never served from a stale rollup; a deleted record makes readers use the
records until the next refresh. Edits that change a date, unit or hours in
place are picked up by the periodic refresh (LINLI_ROLLUP_REFRESH_MINUTES,
default 10), and so is a volunteer newly flagged a Party member (the
service rollup keeps their hours apart for 党建引领's figure). `version()`
names the rollups' state for caches keyed on it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from contracts.models import RollupState, ServiceDayRollup, VisitDayRollup


@dataclass(frozen=True)
class Rolled:
    source: str  # app_label.Model of the records
    rollup: type[models.Model]
    day: str  # the records' date field
    # (rollup field, records' field to sum, "pk" to count, or an aggregate)
    sums: tuple[tuple[str, Any], ...]
    # The records that count (a service record awaiting confirmation does not).
    # The verdict counts these too, so confirming one in place reads as a change.
    counted: tuple[tuple[str, Any], ...] = ()


ROLLUPS: dict[str, Rolled] = {
    "hours": Rolled(
        "volunteering.ServiceRecord",
        ServiceDayRollup,
        "date",
        (
            ("records", "pk"),
            ("hours", "hours"),
            ("party_hours", Sum("hours", filter=Q(volunteer__is_party_member=True))),
        ),
        counted=(("pending", False),),
    ),
    "visits": Rolled("grading.Visit", VisitDayRollup, "visited_on", (("visits", "pk"),)),
}
SOURCE = ROLLUPS["hours"].source  # the state row of the service-record rollup (kept for callers)


@dataclass(frozen=True)
class Current:
    """A rollup that matches its records up to `after` (the highest id it was
    built from); the records with a higher id are counted from the records."""

    rows: QuerySet
    after: int


def since(qs: QuerySet, after: int) -> QuerySet:
    """The records of `qs` written after a rollup built up to id `after`
    (Current.after). The id range is given as a subquery so that it drives
    the query: as a plain filter, SQLite walks a unit index over every
    record instead (130 ms for a million service records, when the range
    holds none)."""
    return qs.filter(pk__in=qs.model._default_manager.filter(pk__gt=after).values("pk"))


def _model(source: str) -> Any:
    app, name = source.split(".")
    return apps.get_model(app, name) if apps.is_installed(app) else None


def _agg(field: Any) -> Any:
    if not isinstance(field, str):
        return field
    return Count("pk") if field == "pk" else Sum(field)


def _refresh_one(rolled: Rolled) -> int:
    model = _model(rolled.source)
    if model is None:
        return 0
    max_id = model.objects.aggregate(m=Max("pk"))["m"] or 0
    counted = model.objects.filter(pk__lte=max_id, **dict(rolled.counted))
    count = counted.count()
    rows = (
        counted.order_by()
        .values("unit_id", rolled.day)
        # Prefixed: an aggregate named after a field would hide it from the next.
        .annotate(**{f"rolled_{name}": _agg(field) for name, field in rolled.sums})
        .values_list("unit_id", rolled.day, *(f"rolled_{name}" for name, _f in rolled.sums))
    )
    rolled.rollup._default_manager.all().delete()
    batch: list[models.Model] = []
    total = 0
    for unit_id, day, *values in rows.iterator(chunk_size=5000):
        fields = {name: v or 0 for (name, _f), v in zip(rolled.sums, values, strict=True)}
        batch.append(rolled.rollup(unit_id=unit_id, day=day, **fields))
        if len(batch) >= 5000:
            rolled.rollup._default_manager.bulk_create(batch)
            total += len(batch)
            batch = []
    rolled.rollup._default_manager.bulk_create(batch)
    total += len(batch)
    RollupState.objects.update_or_create(
        source=rolled.source, defaults={"refreshed_at": timezone.now(), "row_count": count, "max_id": max_id}
    )
    return total


@transaction.atomic
def refresh(name: str | None = None) -> int:
    """Rebuild the rollups (or the one named) from the records; returns the
    number of day rows written."""
    total = sum(_refresh_one(r) for key, r in ROLLUPS.items() if name in (None, key))
    transaction.on_commit(forget)
    forget()
    return total


# Counting a million rows costs tens of milliseconds on PostgreSQL, and one
# dashboard asks several times: the verdict is reused for a moment, and for up
# to REUSE_SECONDS while the audit log has not moved (every service that
# deletes a record audits it in the same transaction, so no deletion through
# the services can have happened since the count).
CHECK_SECONDS = 2.0
REUSE_SECONDS = 60.0
# name → (when counted, when last confirmed, the audit head then, verdict)
_verdict: dict[str, tuple[float, float, int, Current | None]] = {}


def _last_audit_id() -> int:
    from audit.models import AuditEvent

    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def current(name: str) -> Current | None:
    """The rollup `name` if every record it was built from is still there
    (counted or confirmed at most CHECK_SECONDS ago, or counted at most
    REUSE_SECONDS ago with no audit event since); otherwise None (readers
    then use the records)."""
    rolled = ROLLUPS[name]
    model = _model(rolled.source)
    if model is None:
        return None
    checked = _verdict.get(name)
    # The wall clock (a step back re-checks), so that a test that stops the
    # clock to count queries gets the same verdict however loaded the machine.
    now = time.time()
    if checked is not None and 0 <= now - checked[1] <= CHECK_SECONDS:
        return checked[3]
    audit = _last_audit_id() if REUSE_SECONDS >= 0 else -1  # tests that count queries turn reuse off
    if checked is not None and 0 <= now - checked[0] <= REUSE_SECONDS and audit == checked[2]:
        _verdict[name] = (checked[0], now, audit, checked[3])
        return checked[3]
    state = RollupState.objects.filter(source=rolled.source).first()
    verdict = None
    if state is not None and (
        model.objects.filter(pk__lte=state.max_id, **dict(rolled.counted)).count() == state.row_count
    ):
        verdict = Current(rows=rolled.rollup._default_manager.all(), after=state.max_id)
    _verdict[name] = (now, now, audit, verdict)
    return verdict


def service_days() -> QuerySet[ServiceDayRollup] | None:
    """The service-record rollup's rows, if it is current (see `current`)."""
    found = current("hours")
    return found.rows if found is not None else None


def version() -> str:
    """The rollups' state (when each was built, from which records): part of
    the key of anything cached from them."""
    rows = RollupState.objects.order_by("source").values_list("source", "refreshed_at", "max_id")
    return ";".join(f"{s}@{at.timestamp():.0f}/{m}" for s, at, m in rows)


def forget() -> None:
    """Drop the remembered verdicts (after a refresh, and in tests)."""
    _verdict.clear()
