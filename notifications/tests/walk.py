"""What the URL walk (tests/leakwalk.py) needs from the notification centre:
the district administrator's notification about a station-B record, and
one addressed to A's lead about a B record (as if the lead had moved from
B): the list and the page must hide it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _notification(w: Any, user: Any, key: str) -> Any:
    def make() -> Any:
        from django.utils import timezone

        from notifications.models import Notification
        from tests.leakwalk import CANARY

        return Notification.objects.create(
            user=user,
            event="plan_submitted",
            subject=CANARY,
            link="/",
            unit=w.tree.b1,
            dedupe=f"walk:{key}",
            created_at=timezone.now(),
        )

    return w.once(f"notification_{key}", make)


def kwargs() -> dict[str, Callable[[Any], Any]]:
    return {"notification_id": lambda w: _notification(w, w.insider, "insider").pk}


def populators() -> list[Callable[[Any], Any]]:
    return [lambda w: _notification(w, w.insider, "insider"), lambda w: _notification(w, w.outsider, "outsider")]
