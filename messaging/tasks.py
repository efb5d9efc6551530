"""The background sends (huey): one task per delivery, re-scheduled with a
doubling wait while it fails, and a sweep for retries a restarted worker lost."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task()
def deliver(delivery_id: int) -> None:
    from messaging.sending import delivery_attempt

    wait = delivery_attempt(delivery_id)
    if wait is not None:
        deliver.schedule((delivery_id,), delay=wait)


@db_periodic_task(crontab(minute="*/5"))
def deliveries_resume() -> None:
    from messaging.sending import deliveries_due

    for delivery_id in deliveries_due():
        deliver(delivery_id)
