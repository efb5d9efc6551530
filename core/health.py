"""Health endpoints for load balancers and process supervisors.

Liveness (`/healthz`, `/healthz/live`) says only that the process answers: it
touches nothing, so a database outage does not get every web process
restarted. Readiness (`/healthz/ready`) checks each dependency a request may
need and answers 503 naming the ones that failed, so the balancer stops
sending traffic here until they are back."""

from __future__ import annotations

import os
import secrets
import socket
import sqlite3
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from huey.contrib.djhuey import HUEY


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and name != ":memory:" and "mode=memory" not in name:
        # WAL readers pass a write lock by; writers queue behind it. Take the
        # write lock once (on a separate, short-waiting connection) to see
        # whether a page that saves something would get through.
        probe = sqlite3.connect(name, timeout=settings.LINLI_HEALTH_TIMEOUT_SECONDS)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.rollback()
        finally:
            probe.close()


def _cache() -> None:
    key = f"linli:health:{secrets.token_hex(8)}"
    cache.set(key, "ok", 30)
    seen = cache.get(key)
    cache.delete(key)
    if seen != "ok":
        raise RuntimeError("cache did not keep a value")


def _queue() -> None:
    HUEY.pending_count()


def _storage() -> None:
    name = f"health/{socket.gethostname()}-{os.getpid()}.probe"
    token = secrets.token_bytes(16)
    saved = default_storage.save(name, ContentFile(token))
    try:
        with default_storage.open(saved, "rb") as fh:
            if fh.read() != token:
                raise RuntimeError("storage returned other bytes")
    finally:
        default_storage.delete(saved)


CHECKS: dict[str, Callable[[], None]] = {
    "database": _database,
    "cache": _cache,
    "queue": _queue,
    "storage": _storage,
}


def live(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def ready(request: HttpRequest) -> HttpResponse:
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # each dependency is reported, none stops the others
            results[name] = f"failed: {type(exc).__name__}"  # the type only: messages may hold hosts or paths
        else:
            results[name] = "ok"
    failed = [name for name, result in results.items() if result != "ok"]
    body = {"status": "unavailable" if failed else "ok", "failed": failed, "checks": results}
    return JsonResponse(body, status=503 if failed else 200)
