"""Field-work defaults, overridable by environment (read through linli.env) or
by Django settings of the same name (tests use `settings` overrides); a
district may choose its own number of days (FieldPolicy)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from linli.env import env_int

KEEP_DAYS_MAX = 30


def _int(name: str, default: int, minimum: int = 0) -> int:
    value = getattr(settings, name, None)
    if value is not None:
        return int(value)
    return env_int(name, default, minimum=minimum)


def default_keep_days() -> int:
    """Days a phone keeps its visit list without a refresh, unless the district chose."""
    return _int("LINLI_FIELD_KEEP_DAYS", 7, minimum=1)


def district_of(unit: Any) -> Any:
    """The district a unit belongs to (the tree's root above it)."""
    if unit is None:
        return None
    return (unit.ancestors() or [unit])[0]


def keep_days(unit: Any) -> int:
    """The number of days for a user placed at `unit`."""
    from fieldwork.models import FieldPolicy

    district = district_of(unit)
    if district is not None:
        chosen = FieldPolicy.objects.filter(unit=district).values_list("keep_days", flat=True).first()
        if chosen:
            return int(chosen)
    return default_keep_days()
