"""Matching defaults, overridable by environment (read through linli.env) or by
Django settings of the same name (tests use `settings` overrides)."""

from __future__ import annotations

from django.conf import settings

from linli.env import env_int


def _int(name: str, default: int, minimum: int = 0) -> int:
    value = getattr(settings, name, None)
    if value is not None:
        return int(value)
    return env_int(name, default, minimum=minimum)


def background_threshold() -> int:
    """Runs with more open needs than this go to the huey queue."""
    return _int("LINLI_MATCH_BACKGROUND_NEEDS", 300)


def max_distance_m() -> int:
    """Farthest a volunteer or goods are sent (metres)."""
    return _int("LINLI_MATCH_MAX_DISTANCE_M", 5000, minimum=100)


def k_nearest() -> int:
    """Nearest other candidates named in each proposal's explanation (its alternatives)."""
    return _int("LINLI_MATCH_K_NEAREST", 8, minimum=1)


def due_days() -> int:
    """Days to the due date of a task when the need has no window end."""
    return _int("LINLI_MATCH_TASK_DUE_DAYS", 7, minimum=1)


def horizon_days() -> int:
    """Deadlines this many days away or more earn no urgency bonus."""
    return _int("LINLI_MATCH_DEADLINE_HORIZON_DAYS", 60, minimum=1)


def visit_max_needs() -> int:
    """Kinds of help one visit may record (more belong on the needs page)."""
    return _int("LINLI_VISIT_MAX_NEEDS", 5, minimum=1)
