"""Background work: thin huey wrappers around services."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

_EVERY = max(1, int(getattr(settings, "LINLI_ROLLUP_REFRESH_MINUTES", 10)))


@db_periodic_task(crontab(minute=f"*/{_EVERY}"))
def refresh_rollups() -> None:
    from contracts.rollup import refresh

    refresh()


@db_task()
def refresh_rollups_now() -> None:
    from contracts.rollup import refresh

    refresh()
