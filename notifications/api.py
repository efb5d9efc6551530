"""What the areas call: `notify(...)` from their services, and the unread
count the bell shows. Imports core (and messaging, through delivery) only."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import models, transaction
from django.utils import timezone

from core.home_cache import forget_home_counters
from notifications.events import Event
from notifications.models import Notification
from notifications.preferences import preferences_for

__all__ = ["Event", "mask_name", "notify", "unread_count"]


def mask_name(name: str | None) -> str:
    """A name as a message may carry it: the surname and stars (张**)."""
    name = (name or "").strip()
    return (name[:1] + "*" * max(1, len(name) - 1)) if name else "*"


def _bell_key(user_id: int) -> str:
    return f"linli:bell:{user_id}"


def forget_unread(user_ids: Iterable[int]) -> None:
    if settings.HOME_COUNTERS_SECONDS:
        cache.delete_many([_bell_key(pk) for pk in user_ids])


def unread_count(user: Any) -> int:
    """The bell's figure: a cache hit, or one indexed count."""
    seconds = settings.HOME_COUNTERS_SECONDS
    key = _bell_key(user.pk)
    value = cache.get(key) if seconds else None
    if value is None:
        value = Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()
        if seconds:
            cache.set(key, value, seconds * 10)  # every change drops it: notify and read
    return int(value)


def dedupe_key(event: str, obj: models.Model | str | None, period: str = "") -> str:
    """Event, record and period: a person is told of each once."""
    if isinstance(obj, models.Model):
        ref = f"{obj._meta.label_lower}:{obj.pk}"
    else:
        ref = obj or ""
    return f"{event}:{ref}:{period}"[:160]


def notify(
    *,
    event: Event | str,
    recipients: Iterable[Any],
    obj: models.Model | str | None,
    subject: str = "",
    link: str = "",
    unit: Any = None,
    period: str = "",
    now: datetime | None = None,
) -> int:
    """Tell each recipient once about `obj` (per `period`, for a reminder that
    comes back each week or month). `subject` must already be masked (a
    masked name, a case number). `unit` is the record's unit: a recipient
    who may not see it is skipped. Inactive people, and people who turned
    the event off, get nothing. External sends go out after the transaction
    commits (or after the recipient's quiet hours). Returns how many were
    told for the first time."""
    event = Event(event)
    now = now or timezone.now()
    ids = {getattr(r, "pk", r) for r in recipients if r is not None}
    if not ids:
        return 0
    people = list(get_user_model().objects.filter(pk__in=ids, is_active=True).select_related("unit"))
    if unit is not None:
        people = [p for p in people if p.unit is not None and p.unit.contains(unit)]
    key = dedupe_key(event, obj, period)
    already = set(Notification.objects.filter(user__in=people, dedupe=key).values_list("user_id", flat=True))
    people = [p for p in people if p.pk not in already]
    settings_of = preferences_for(people)
    rows = []
    for person in people:
        prefs = settings_of[person.pk]
        if event in prefs.events_off:
            continue
        rows.append(
            Notification(
                user=person,
                event=event,
                subject=subject[:120],
                link=link[:300],
                unit=unit,
                dedupe=key,
                created_at=now,
                send_after=prefs.send_after(now),
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    told = [r.user for r in rows]
    forget_unread(p.pk for p in told)
    for person in told:
        forget_home_counters(person)
    if any(r.send_after is not None and r.send_after <= now for r in rows):
        from notifications.delivery import deliver_due

        transaction.on_commit(lambda: deliver_due(now=now, user_ids=[p.pk for p in told]))
    return len(rows)
