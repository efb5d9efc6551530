"""The periodic run of the reminder scheduler (the same code as
`manage.py send_reminders`)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*/15"))
def reminders_run() -> None:
    from notifications.scheduler import run_once

    run_once()
