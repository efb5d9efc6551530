from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from audit.models import AuditEvent
from core.access import scope


def events_visible(user: Any) -> QuerySet[AuditEvent]:
    """Events in the user's subtree. Events tied to no unit (a failed login
    with an unknown username, say) belong to the whole district: only users
    placed at the root of the tree see them."""
    events = scope(AuditEvent.objects.all(), user)
    unit = getattr(user, "unit", None)
    if unit is not None and unit.parent_id is None and getattr(user, "is_active", False):
        events = events | AuditEvent.objects.filter(unit__isnull=True)
    return events.select_related("unit")


def record_history(user: Any, record: Any) -> list[tuple[AuditEvent, str, list[tuple[str, str]]]]:
    """A record's own audit events, oldest first, each with its changes worded
    (audit.display): the history shown on the record's page to whoever sees
    the record there."""
    from audit.actions import action_label
    from audit.display import change_rows

    events = events_visible(user).filter(target_type=record._meta.label_lower, target_id=str(record.pk))
    return [(e, action_label(e.action), change_rows(e)) for e in events.select_related("actor").order_by("at", "id")]
