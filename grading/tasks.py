"""Cards whose remembered categories went out of date as a day passed
(grading/category_keys.py) are re-keyed every hour, so that the dashboard
counts almost every card from its key."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="7"))
def renew_category_keys() -> None:
    from django.utils import timezone

    from grading.category_keys import category_keys_renew

    renewed = category_keys_renew(day=timezone.localdate())
    if renewed:
        log.info("Category keys renewed on %d cards", renewed)
