"""The figures on the home page: every area's counters (core/registry.py,
registered from each area's contrib.py), cached briefly per user."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache

from core.home_cache import home_counters_key
from core.registry import HOME_COUNTERS, HomeCounter

COUNTERS: list[HomeCounter] = HOME_COUNTERS  # the registry's live list, in order


def home_counts(user: Any) -> list[dict[str, Any]]:
    """Every counter for the user, from the short-lived cache when fresh
    (see core.home_cache)."""
    seconds = settings.HOME_COUNTERS_SECONDS
    values = cache.get(home_counters_key(user.pk)) if seconds else None
    if values is None or len(values) != len(COUNTERS):
        values = [fn(user) for _label, fn in COUNTERS]
        if seconds:
            cache.set(home_counters_key(user.pk), values, seconds)
    return [{"label": label, "value": value} for (label, _fn), value in zip(COUNTERS, values, strict=True)]
