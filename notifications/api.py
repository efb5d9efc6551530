"""What the areas call: `notify(...)` from their services, and the unread
count the bell shows. Imports core (and messaging, through delivery) only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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

__all__ = ["Event", "Notice", "mask_name", "notify", "notify_each", "unread_count"]


def mask_name(name: str | None) -> str:
    """A name as a message may carry it: the surname and stars (张**)."""
    name = (name or "").strip()
    return (name[:1] + "*" * max(1, len(name) - 1)) if name else "*"


CHUNK = 2000


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


@dataclass(frozen=True)
class Notice:
    """One thing to tell one person (for `notify_each`)."""

    recipient: Any  # a user or a user id
    obj: models.Model | str | None
    subject: str = ""  # already masked
    link: str = ""
    unit: Any = None  # the record's unit: a recipient who may not see it is skipped
    period: str = ""


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
    notices = [Notice(r, obj, subject, link, unit, period) for r in recipients if r is not None]
    return notify_each(event=event, notices=notices, now=now)


def notify_each(*, event: Event | str, notices: Sequence[Notice], now: datetime | None = None) -> int:
    """`notify` for many records and people at once (the scheduler): a fixed
    number of queries however many notices."""
    event = Event(event)
    now = now or timezone.now()
    ids = {getattr(n.recipient, "pk", n.recipient) for n in notices}
    if not ids:
        return 0
    people = {p.pk: p for p in get_user_model().objects.filter(pk__in=ids, is_active=True).select_related("unit")}
    wanted: dict[tuple[int, str], Notice] = {}
    for n in notices:
        person = people.get(getattr(n.recipient, "pk", n.recipient))
        if person is None or (n.unit is not None and (person.unit is None or not person.unit.contains(n.unit))):
            continue  # inactive, or the record lies outside their subtree
        wanted.setdefault((person.pk, dedupe_key(event, n.obj, n.period)), n)
    if not wanted:
        return 0
    keys = sorted({k for _u, k in wanted})
    already: set[tuple[int, str]] = set()
    for i in range(0, len(keys), CHUNK):  # within any database's limit of parameters
        already.update(Notification.objects.filter(dedupe__in=keys[i : i + CHUNK]).values_list("user_id", "dedupe"))
    fresh = [(uid, key, n) for (uid, key), n in wanted.items() if (uid, key) not in already]
    settings_of = preferences_for(people[uid] for uid in {uid for uid, _k, _n in fresh})
    rows = [
        Notification(
            user_id=uid,
            event=event,
            subject=n.subject[:120],
            link=n.link[:300],
            unit=n.unit,
            dedupe=key,
            created_at=now,
            send_after=settings_of[uid].send_after(now),
        )
        for uid, key, n in fresh
        if event not in settings_of[uid].events_off
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    told = sorted({r.user_id for r in rows})
    forget_unread(told)
    for uid in told:
        forget_home_counters(people[uid])
    if any(r.send_after is not None and r.send_after <= now for r in rows):
        from notifications.delivery import deliver_due

        transaction.on_commit(lambda: deliver_due(now=now, user_ids=told))
    return len(rows)
