"""Home-page counters of the services area (core/home.py lists them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def _open_cases(user: Any) -> int:
    from casework.models import Stage
    from casework.selectors import cases_visible

    return cases_visible(user).exclude(stage=Stage.CLOSED).count()


def _person_times_this_month(user: Any) -> int:
    from casework.selectors import person_times

    today = timezone.localdate()
    return person_times(user, today.replace(day=1), today)


COUNTERS: list[tuple[str | Promise, Callable[[Any], int]]] = [
    (_("Open cases"), _open_cases),
    (_("Person-times served this month"), _person_times_this_month),
]
