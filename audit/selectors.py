from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from audit.models import AuditEvent
from core.access import scope


def events_visible(user: Any) -> QuerySet[AuditEvent]:
    return scope(AuditEvent.objects.all(), user).select_related("unit")
