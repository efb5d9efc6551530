"""The rendered body of a dashboard, kept per viewed unit, year, language and
the viewer's scope (their unit and role), under the version of the data it
was counted from: the highest audit event id (every service that writes a
record audits it, in the same transaction) and the rollups' state
(contracts.rollup.version, which changes with each rebuild). Any write or
rebuild therefore makes a new key, and the old entry is never read again;
LINLI_DASHBOARD_CACHE_SECONDS (default 600, 0 = off, as in tests) bounds
what a write outside the services (a bulk load) can leave in place."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings


def cache_seconds() -> int:
    default = 0 if settings.ENVIRONMENT == "test" else 600
    return int(getattr(settings, "DASHBOARD_CACHE_SECONDS", default))


def data_version() -> str:
    from audit.models import AuditEvent
    from contracts.rollup import version

    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    return f"{last}|{version()}"


def body_key(user: Any, unit_id: int, year: int, language: str | None) -> str:
    scope = f"{user.unit_id}:{user.role}"
    raw = f"{unit_id}:{year}:{language}:{scope}:{data_version()}"
    return "linli:dashboard:" + hashlib.sha256(raw.encode()).hexdigest()[:32]
