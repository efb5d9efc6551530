"""Background jobs (huey) that no worker picks up.

A report job or a background matching run is created "queued" and a worker
moves it on within a second or two. One still queued after
LINLI_WORKER_WAIT_SECONDS means the worker is not running (a site started
with `runserver` alone): its page says so instead of "queued" forever.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone


def worker_missing(*, queued: bool, since: datetime) -> bool:
    """True when a job that is still queued has waited longer than a worker takes."""
    return queued and timezone.now() - since > timedelta(seconds=settings.LINLI_WORKER_WAIT_SECONDS)
