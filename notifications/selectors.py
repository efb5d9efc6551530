"""Scoped reads: a person's own notifications about records they may still see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from core.access import unit_subtree
from notifications.models import Notification


def notifications_of(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, less those about a record that has left
    their subtree since (they moved station, say)."""
    return Notification.objects.filter(user_id=user.pk).filter(
        Q(unit__isnull=True) | Q(unit__in=unit_subtree(user).values("id"))
    )
