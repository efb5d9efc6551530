from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db import models

from audit import chain
from audit.actions import Action
from audit.context import current_ip
from audit.models import AuditEvent, Outcome
from core.home_cache import forget_home_counters

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from orgs.models import OrgUnit


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of `fields`, JSON-ready, for a before/after diff."""
    return {f: _plain(getattr(obj, f)) for f in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed."""
    keys = list(dict.fromkeys([*before, *after]))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: models.Model | None = None,
    unit: OrgUnit | None = None,
    changes: Mapping[str, Any] | None = None,
    outcome: str = Outcome.SUCCESS,
    note: str = "",
    ip: str | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Write one append-only audit row. Callers pass masked values for
    anything sensitive; the row is written inside the caller's transaction.
    `action` must be one of audit.actions.Action: the log page names it."""
    if action not in Action.values:
        raise ValueError(f"Unknown audit action {action!r}: declare it in audit/actions.py.")
    user = cast("User", actor) if getattr(actor, "is_authenticated", False) else None
    if unit is None and target is not None:
        # An event about a unit belongs to that unit; others to their record's unit.
        owner = target if target._meta.label_lower == "orgs.orgunit" else getattr(target, "unit", None)
        unit = cast("OrgUnit | None", owner)
    if user is not None:
        forget_home_counters(user)  # the actor's own change shows on their home page at once
    event = AuditEvent(
        actor=user,
        actor_label=actor_label if actor_label is not None else (user.get_username() if user else ""),
        ip=ip or current_ip.get(),
        action=action,
        outcome=outcome,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        unit=unit,
        changes=dict(changes or {}),
        note=note[:300],
    )
    return chain.append(event)  # the next link of the hash chain, in the caller's transaction
