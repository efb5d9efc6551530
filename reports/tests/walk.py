"""URL-walk entries for reports (see tests/leakwalk.py): a report job and a
narrative of station B carrying the CANARY."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from tests.leakwalk import CANARY, Walk


def _job(w: Walk) -> Any:
    from reports.models import ReportJob, ReportNarrative

    def make() -> Any:
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage
        from django.utils import timezone

        from contracts.progress import period_for

        name = default_storage.save("reports/walk-canary.xlsx", ContentFile(CANARY.encode()))
        # The current quarter's: the narrative page opens that one.
        quarter = period_for("quarter", timezone.localdate()).start
        ReportNarrative.objects.create(
            unit=w.tree.station_b, period_kind="quarter", period_start=quarter, highlights=CANARY
        )
        return ReportJob.objects.create(
            unit=w.tree.station_b,
            period_kind="quarter",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 3, 31),
            fmt="xlsx",
            status="done",
            step=CANARY,
            file=name,
        )

    return w.once("report_job", make)


def _schedule(w: Walk) -> Any:
    from reports.schedule_models import ReportRecipient, ReportSchedule

    def make() -> Any:
        schedule = ReportSchedule.objects.create(unit=w.tree.station_b, name=CANARY, period_kind="month", fmt="xlsx")
        ReportRecipient.objects.create(schedule=schedule, email="walk@linli.example", label=CANARY)
        return schedule

    return w.once("report_schedule", make)


def kwargs() -> dict[str, Callable[[Walk], Any]]:
    return {"job_id": lambda w: _job(w).pk, "schedule_id": lambda w: _schedule(w).pk}


def populators() -> list[Callable[[Walk], Any]]:
    return [_job, _schedule]
