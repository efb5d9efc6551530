"""Home-page counters of the grading area (registered in grading/contrib.py)."""

from __future__ import annotations

from typing import Any


def red_cards(user: Any) -> int:
    from grading.selectors import grades_visible

    return grades_visible(user).filter(card="red", person__is_active=True).count()


def overdue_followups(user: Any) -> int:
    from grading.selectors import followup_counts

    return followup_counts(user)["overdue"]
