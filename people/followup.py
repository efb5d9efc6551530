"""The hand-over from the residents' registry to follow-up (一分三卡).

The grading area builds on this one (it imports `people`, never the
reverse), so people's services cannot import grading without closing an
import circle. Instead grading installs its enrolment function here when
the app registry is ready (`grading/apps.py`), and people's services call
`enrol()` explicitly inside their own transaction: reading a service still
tells the whole story of a write, and a failure in grading rolls the
registry write back with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Enroller = Callable[..., Any]

_enroller: Enroller | None = None
_rekeyer: Callable[[Sequence[int]], Any] | None = None


def install(fn: Enroller, rekey: Callable[[Sequence[int]], Any] | None = None) -> None:
    """Called once by the follow-up area at start-up."""
    global _enroller, _rekeyer
    _enroller, _rekeyer = fn, rekey


def enrol(*, actor: Any, persons: Sequence[Any], why: str) -> Any:
    """Grade `persons` with the active rules and give each a responsible
    worker (see `grading.enrolment.persons_enrol`). Without a follow-up area
    installed this does nothing."""
    if _enroller is None or not persons:
        return None
    return _enroller(actor=actor, persons=persons, why=why)


def categories_changed(*, persons: Sequence[Any]) -> None:
    """Categories of `persons` changed without a regrade (a local tag):
    their cards remember the new ones (grading/category_keys.py). Enrolling
    does this too."""
    if _rekeyer is not None and persons:
        _rekeyer([p if isinstance(p, int) else p.pk for p in persons])
