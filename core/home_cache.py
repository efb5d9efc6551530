"""Short-lived cache of a user's home-page figures.

The home page runs every area's counter (home.counters.COUNTERS) on each view;
with a dozen areas that is most of the page's cost. The figures are kept per
user for LINLI_HOME_COUNTERS_SECONDS (default 30; 0 turns the cache off, as in
tests) and dropped whenever the user changes anything (audit_record calls
`forget_home_counters`), so one's own work shows at once and colleagues' work
within the interval. Kept apart from home.counters so that audit can import it
without importing every area."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache


def home_counters_key(user_id: int) -> str:
    return f"linli:home-counters:{user_id}"


def home_body_key(user_id: int, language: str | None) -> str:
    return f"linli:home-body:{user_id}:{language}"


def forget_home_counters(user: Any) -> None:
    """Drop the user's cached figures and rendered home page (every language)."""
    if settings.HOME_COUNTERS_SECONDS and getattr(user, "pk", None):
        keys = [home_counters_key(user.pk), *(home_body_key(user.pk, code) for code, _name in settings.LANGUAGES)]
        cache.delete_many(keys)
