"""Sending notifications outside the system through `messaging`: what is due
now (quiet hours over), to each person's chosen channels that reach them,
once each (messaging keeps one delivery per channel and key)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from messaging.api import Recipient, channels_available, message_send
from notifications.models import Notification
from notifications.preferences import preferences_for

BATCH = 500


def template_key(event: str) -> str:
    return f"notify.{event}"


def deliver_due(*, now: dt.datetime, user_ids: Iterable[int] | None = None) -> int:
    """Hand every notification due by `now` to its person's channels; returns
    how many notifications went out."""
    qs = Notification.objects.filter(sent_at__isnull=True, send_after__lte=now).select_related("user__unit")
    if user_ids is not None:
        qs = qs.filter(user_id__in=list(user_ids))
    due = list(qs.order_by("send_after", "id")[:BATCH])
    if not due:
        return 0
    prefs = preferences_for({n.user_id: n.user for n in due}.values())
    reach: dict[int, list[str]] = {}
    with transaction.atomic():
        for n in due:
            if n.user_id not in reach:
                reach[n.user_id] = channels_available(Recipient(user=n.user))
            for channel in prefs[n.user_id].channels:
                if channel in reach[n.user_id]:
                    message_send(
                        channel=channel,
                        to=Recipient(user=n.user),
                        template=template_key(n.event),
                        params={"about": n.subject},
                        event=n.event,
                        dedupe_key=f"notification:{n.pk}",
                        link=n.link,
                    )
        Notification.objects.filter(pk__in=[n.pk for n in due]).update(sent_at=now)
    return len(due)
