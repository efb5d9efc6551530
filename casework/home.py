"""Home-page counters of the services area (registered in casework/contrib.py)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def open_cases(user: Any) -> int:
    from casework.models import Stage
    from casework.selectors import cases_visible

    return cases_visible(user).exclude(stage=Stage.CLOSED).count()


def person_times_this_month(user: Any) -> int:
    from casework.selectors import person_times

    today = timezone.localdate()
    return person_times(user, today.replace(day=1), today)
