"""Home-page counters of this area (registered in workrecords/contrib.py)."""

from __future__ import annotations

from typing import Any


def summaries_to_read(user: Any) -> int:
    """Weekly summaries in scope that this reader (a station lead or the
    guidance centre) has not marked as read; 0 for everyone else."""
    from core.roles import Level, Role
    from workrecords.selectors import unread_summaries

    if user.role != Role.STATION_LEAD and user.unit.level != Level.DISTRICT:
        return 0
    return unread_summaries(user).count()
