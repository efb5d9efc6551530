"""Who may read the confidential parts of a case and who may work on it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from casework.models import Case
from core.access import Perm, can, unit_in_scope


def case_team_ids(case: Case) -> set[int]:
    ids = {case.worker_id}
    if case.supervisor_id:
        ids.add(case.supervisor_id)
    ids.update(u.pk for u in case.co_workers.all())
    return ids


def can_read_confidential(user: Any, case: Case) -> bool:
    """Case notes and attachments: the case's workers and supervisor, and
    supervising roles (station lead, supervisor) whose scope covers the case.
    A colleague in the same station does not see them."""
    if not can(user, Perm.VIEW) or not unit_in_scope(user, case.unit):
        return False
    if user.pk in case_team_ids(case):
        return True
    return can(user, Perm.CASE_SUPERVISE)


def can_work_on(user: Any, case: Case) -> bool:
    """Record goals, services, notes and moves on the case."""
    return can(user, Perm.RECORD_EDIT) and can_read_confidential(user, case)


def require_case_team(user: Any, case: Case) -> None:
    if not can_work_on(user, case):
        raise PermissionDenied
