"""The figures on the home page. Each area contributes a counter: a label and
a function of the user that counts *in scope* (through its selectors)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casework.home import COUNTERS as SERVICES_COUNTERS
from grading.home import COUNTERS as GRADING_COUNTERS
from workrecords.home import COUNTERS as STATION_COUNTERS


def _units(user: Any) -> int:
    from orgs.selectors import units_visible

    return units_visible(user).count()


def _staff(user: Any) -> int:
    from accounts.selectors import staff_visible

    return staff_visible(user).count()


def _residents(user: Any) -> int:
    from people.selectors import persons_visible

    return persons_visible(user).filter(is_active=True).count()


def _open_needs(user: Any) -> int:
    from matching.selectors import needs_visible

    return needs_visible(user).filter(status="open").count()


def _volunteers(user: Any) -> int:
    from volunteers.selectors import volunteers_visible

    return volunteers_visible(user).filter(is_active=True).count()


COUNTERS: list[tuple[str | Promise, Callable[[Any], int]]] = [
    (_("Residents on file"), _residents),
    (_("Volunteers"), _volunteers),
    (_("Open needs"), _open_needs),
    *GRADING_COUNTERS,
    *SERVICES_COUNTERS,
    *STATION_COUNTERS,
    (_("Units in view"), _units),
    (_("Staff"), _staff),
]


def home_counts(user: Any) -> list[dict[str, Any]]:
    """Every counter for the user, from the short-lived cache when fresh
    (see core.home_cache)."""
    from django.conf import settings
    from django.core.cache import cache

    from core.home_cache import home_counters_key

    seconds = settings.HOME_COUNTERS_SECONDS
    values = cache.get(home_counters_key(user.pk)) if seconds else None
    if values is None or len(values) != len(COUNTERS):
        values = [fn(user) for _label, fn in COUNTERS]
        if seconds:
            cache.set(home_counters_key(user.pk), values, seconds)
    return [{"label": label, "value": value} for (label, _fn), value in zip(COUNTERS, values, strict=True)]
