"""The figures on the home page: every area's counters (core/registry.py,
registered from each area's contrib.py), cached briefly per user."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from core.access import can
from core.home_cache import home_counters_key
from core.registry import HOME_COUNTERS, HomeCounter

COUNTERS: list[HomeCounter] = HOME_COUNTERS  # the registry's live list, in order


def home_counts(user: Any) -> list[dict[str, Any]]:
    """Every counter for the user, from the short-lived cache when fresh
    (see core.home_cache)."""
    seconds = settings.HOME_COUNTERS_SECONDS
    values = cache.get(home_counters_key(user.pk)) if seconds else None
    if values is None or len(values) != len(COUNTERS):
        values = [c.count(user) for c in COUNTERS]
        if seconds:
            cache.set(home_counters_key(user.pk), values, seconds)
    return [
        {"label": c.label, "value": value, "url": _link(c, user)} for c, value in zip(COUNTERS, values, strict=True)
    ]


def _link(counter: HomeCounter, user: Any) -> str:
    if not counter.url_name or not can(user, counter.perm):
        return ""
    url = reverse(counter.url_name)
    return f"{url}?{counter.query}" if counter.query else url
