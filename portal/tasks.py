"""The portal's nightly clean-up (portal/retention.py)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="20", hour="3"))
def forget_closed_portal_items() -> None:
    from portal.retention import portal_forget_closed

    done = portal_forget_closed()
    log.info(
        "Portal retention: %d help requests, %d feedback, %d codes, %d counts removed",
        done.help_requests,
        done.feedback,
        done.codes,
        done.hits,
    )
