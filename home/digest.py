"""The daily digest: at the time a person chose (or their district's
default), one message with how many notifications are unread and how many
things wait in their to-do inbox, once a day. Registered as a reminder rule
in home/contrib.py; the inbox and the unread counts are computed for all
due readers at once (home/inbox.py), so the queries do not grow with the
number of staff (the sends do: one delivery per person and channel)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from home.inbox import InboxRow, inbox_for
from messaging.api import Recipient, channels_available, message_send
from notifications.models import Digest, Notification
from notifications.preferences import Prefs, preferences_for


def digests_due(*, now: dt.datetime) -> tuple[list[Any], dict[int, Prefs]]:
    """The people whose digest time has come today and who have not had it."""
    today = timezone.localdate(now)
    local = timezone.localtime(now).time()
    users = list(get_user_model().objects.filter(is_active=True, unit__isnull=False).select_related("unit"))
    prefs = preferences_for(users)
    done = set(Digest.objects.filter(day=today).values_list("user_id", flat=True))
    due = [
        u
        for u in users
        if u.pk not in done and (at := prefs[u.pk].digest_at) is not None and at <= local and prefs[u.pk].channels
    ]
    return due, prefs


def digest_contents(readers: Sequence[Any], *, now: dt.datetime) -> dict[int, tuple[int, list[InboxRow]]]:
    """{reader id: (unread notifications, to-do rows)}: one grouped query for
    the unread, one per to-do kind."""
    unread = dict(
        Notification.objects.filter(user__in=[r.pk for r in readers], read_at__isnull=True)
        .values_list("user_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    todo = inbox_for(readers, now=now)
    return {r.pk: (unread.get(r.pk, 0), todo[r.pk]) for r in readers}


def send_digests(*, now: dt.datetime) -> int:
    today = timezone.localdate(now)
    due, prefs = digests_due(now=now)
    if not due:
        return 0
    contents = digest_contents(due, now=now)
    link = reverse("core:home")
    made = []
    for reader in due:
        unread, rows = contents[reader.pk]
        items = unread + sum(r.count for r in rows)
        made.append(Digest(user=reader, day=today, items=items))
        if not items:
            continue  # nothing to say: no message, but the day is done
        reach = channels_available(Recipient(user=reader))
        for channel in prefs[reader.pk].channels:
            if channel in reach:
                message_send(
                    channel=channel,
                    to=Recipient(user=reader),
                    template="notify.digest",
                    params={"unread": str(unread), "todo": str(sum(r.count for r in rows))},
                    event="digest",
                    dedupe_key=f"digest:{reader.pk}:{today.isoformat()}",
                    link=link,
                )
    Digest.objects.bulk_create(made, ignore_conflicts=True)
    return len(made)
