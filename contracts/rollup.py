"""Daily rollup of volunteer service records (the largest table).

`refresh()` recomputes the whole rollup in one grouped query (seconds for a
million records) and records the source's row count and highest id.
`service_days()` returns the rollup queryset only while that fingerprint
still matches the source (one cheap query), so a figure is never served from
a stale cache: a new or deleted record makes readers use the records until
the next refresh. Edits that change hours or dates in place are picked up by
the periodic refresh (LINLI_ROLLUP_REFRESH_MINUTES, default 10).
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Max, QuerySet, Sum
from django.utils import timezone

from contracts.models import RollupState, ServiceDayRollup

SOURCE = "volunteering.ServiceRecord"


def _model() -> Any:
    return apps.get_model("volunteering", "ServiceRecord") if apps.is_installed("volunteering") else None


def _fingerprint() -> tuple[int, int]:
    agg = _model().objects.aggregate(n=Count("pk"), m=Max("pk"))
    return agg["n"] or 0, agg["m"] or 0


@transaction.atomic
def refresh() -> int:
    """Rebuild the rollup from the records; returns the number of day rows."""
    model = _model()
    if model is None:
        return 0
    count, max_id = _fingerprint()
    rows = (
        model.objects.filter(pk__lte=max_id)
        .order_by()
        .values("unit_id", "date")
        .annotate(n=Count("pk"), h=Sum("hours"))
        .values_list("unit_id", "date", "n", "h")
    )
    ServiceDayRollup.objects.all().delete()
    batch: list[ServiceDayRollup] = []
    total = 0
    for unit_id, day, n, h in rows.iterator(chunk_size=5000):
        batch.append(ServiceDayRollup(unit_id=unit_id, day=day, records=n, hours=h or Decimal(0)))
        if len(batch) >= 5000:
            ServiceDayRollup.objects.bulk_create(batch)
            total += len(batch)
            batch = []
    ServiceDayRollup.objects.bulk_create(batch)
    total += len(batch)
    RollupState.objects.update_or_create(
        source=SOURCE, defaults={"refreshed_at": timezone.now(), "row_count": count, "max_id": max_id}
    )
    transaction.on_commit(forget)
    forget()
    return total


# Counting a million rows costs tens of milliseconds on PostgreSQL, and one
# dashboard asks several times: the verdict is reused for a moment.
CHECK_SECONDS = 2.0
_verdict: dict[str, tuple[float, bool]] = {}


def service_days() -> QuerySet[ServiceDayRollup] | None:
    """The rollup, if it matched the records at most CHECK_SECONDS ago;
    otherwise None (readers then use the records)."""
    if _model() is None:
        return None
    checked = _verdict.get(SOURCE)
    now = time.monotonic()
    if checked is None or now - checked[0] > CHECK_SECONDS:
        state = RollupState.objects.filter(source=SOURCE).first()
        current = state is not None and (state.row_count, state.max_id) == _fingerprint()
        _verdict[SOURCE] = checked = (now, current)
    return ServiceDayRollup.objects.all() if checked[1] else None


def forget() -> None:
    """Drop the remembered verdict (after a refresh, and in tests)."""
    _verdict.clear()
