"""The worker's scheduled backup (core/backup.py)."""

from __future__ import annotations

import logging

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="0", hour=str(settings.BACKUP_HOUR_UTC)))
def scheduled_backup() -> None:
    from core.backup import backup_scheduled

    done = backup_scheduled()
    if done is None:
        log.error("No backup made: LINLI_BACKUP_KEY is not set")
    else:
        log.info("Backup %s written, %d old ones removed", done[0], len(done[1]))
