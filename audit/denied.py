"""Refused requests in the audit log (the 等保 profile, AUDIT_DENIED_ACCESS):
a 403, or a 404 for a record or unit outside the user's scope. The row names
the path only (no query string, which may carry search words), and one per
user and path per minute is written, so a scanner cannot flood the log."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from audit.actions import Action
from audit.context import client_ip
from audit.models import Outcome
from audit.services import audit_record
from core.access import OutOfScope

RATE_SECONDS = 60


def denied_status(exc: BaseException) -> int | None:
    """403 or 404 for the refusals the profile audits, None for anything else."""
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, OutOfScope):
        return 404
    return None


def denied_record(request: HttpRequest, exc: BaseException) -> None:
    status = denied_status(exc)
    user = getattr(request, "user", None)
    if not settings.AUDIT_DENIED_ACCESS or status is None or user is None or not user.is_authenticated:
        return
    path = request.path[:250]
    key = f"audit-denied:{user.pk}:{hashlib.sha256(path.encode()).hexdigest()[:32]}"
    if not cache.add(key, 1, RATE_SECONDS):
        return
    audit_record(
        actor=user,
        action=Action.ACCESS_DENIED,
        unit=user.unit,
        outcome=Outcome.DENIED,
        ip=client_ip(request),
        note=f"{status} {request.method} {path}",
    )


class DeniedAccessMiddleware:
    """Audits the refusals a page view raises; the API's exception handlers
    call denied_record themselves (django-ninja answers them before any
    middleware sees the exception)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        denied_record(request, exception)
