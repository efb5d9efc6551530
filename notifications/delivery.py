"""Sending notifications outside the system through `messaging`: what is due
now (quiet hours over), once each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from notifications.models import Notification


def deliver_due(*, now: dt.datetime, user_ids: Iterable[int] | None = None) -> int:
    """Hand every notification due by `now` to its person's channels."""
    qs = Notification.objects.filter(sent_at__isnull=True, send_after__lte=now)
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    return qs.update(sent_at=now)
