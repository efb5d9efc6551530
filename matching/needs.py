"""Needs: recording, editing and closing them, and the one place a need's
status changes (with its history row). Services, runs and micro-wishes all
move needs through `set_need_status`; kept apart from matching/services.py so
that those modules depend on it rather than on each other."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from core.access import Perm, require, require_unit_in_scope
from core.concurrency import lock
from core.models import ServiceDomain
from matching.models import Need, NeedSource, NeedStatus, NeedStatusChange, Proposal, ProposalStatus
from people.models import Person


@transaction.atomic
def need_create(
    *,
    actor: Any,
    person: Person,
    domain: ServiceDomain | None,
    need_type: str,
    description: str = "",
    quantity: int = 1,
    window_start: date | None = None,
    window_end: date | None = None,
    source: str = NeedSource.REQUEST,
    visit: Any = None,
) -> Need:
    """Record a need for a resident (from a visit, assessment, request or wish)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    errors: dict[str, str] = {}
    if domain is None:
        errors["domain"] = _("Choose the service domain of the need.")
    if not need_type.strip():
        errors["need_type"] = _("Say what kind of help is needed.")
    if quantity < 1:
        errors["quantity"] = _("The quantity must be at least 1.")
    if window_start and window_end and window_end < window_start:
        errors["window_end"] = _("The time window ends before it starts.")
    if errors or domain is None:
        raise ValidationError(errors)
    need = Need.objects.create(
        unit=person.unit,
        person=person,
        domain=domain,
        need_type=need_type.strip(),
        description=description,
        quantity=quantity,
        window_start=window_start,
        window_end=window_end,
        source=source,
        visit=visit,
        created_by=actor,
    )
    NeedStatusChange.objects.create(need=need, to_status=NeedStatus.OPEN, by=actor if is_user(actor) else None)
    audit_record(
        actor=actor,
        action=Action.NEED_CREATE,
        target=need,
        unit=person.unit,
        changes={"need_type": [None, need.need_type], "source": [None, source]},
    )
    return need


# ---------------------------------------------------------------- needs

_NEED_FIELDS = ("domain", "need_type", "description", "quantity", "window_start", "window_end")


def set_need_status(need: Need, to: str, actor: Any, note: str = "") -> None:
    if need.status == to:
        return
    NeedStatusChange.objects.create(
        need=need, from_status=need.status, to_status=to, note=note[:200], by=actor if is_user(actor) else None
    )
    need.status = to
    need.save(update_fields=["status", "updated_at"])


def is_user(actor: Any) -> bool:
    return bool(getattr(actor, "is_authenticated", False))


def _check_need(
    *, domain: Any, need_type: str, quantity: int, window_start: date | None, window_end: date | None
) -> None:
    errors: dict[str, str] = {}
    if domain is None:
        errors["domain"] = _("Choose the service domain of the need.")
    if not (need_type or "").strip():
        errors["need_type"] = _("Say what kind of help is needed.")
    if quantity is None or quantity < 1:
        errors["quantity"] = _("The quantity must be at least 1.")
    if window_start and window_end and window_end < window_start:
        errors["window_end"] = _("The time window ends before it starts.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def need_update(*, actor: Any, need: Need, **fields: Any) -> Need:
    """Edit an open or proposed need (type, description, quantity, window)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, need.unit)
    if need.status not in (NeedStatus.OPEN, NeedStatus.PROPOSED):
        raise ValidationError(_("Only an open need can be edited."))
    before = snapshot(need, _NEED_FIELDS)
    merged = {f: fields.get(f, getattr(need, f)) for f in _NEED_FIELDS}
    _check_need(
        domain=merged["domain"],
        need_type=merged["need_type"],
        quantity=merged["quantity"],
        window_start=merged["window_start"],
        window_end=merged["window_end"],
    )
    for f, v in merged.items():
        setattr(need, f, v.strip() if isinstance(v, str) else v)
    need.save()
    audit_record(
        actor=actor, action=Action.NEED_UPDATE, target=need, changes=diff(before, snapshot(need, _NEED_FIELDS))
    )
    return need


@transaction.atomic
def need_close(*, actor: Any, need: Need, note: str = "") -> Need:
    """Close a need that will not be met (关闭未满足), with the reason."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, need.unit)
    lock(need)
    if need.status in (NeedStatus.DONE, NeedStatus.CLOSED_UNMET):
        raise ValidationError(_("This need is already closed."))
    if not note.strip():
        raise ValidationError({"note": _("Say why the need is closed unmet.")})
    before = need.status
    Proposal.objects.filter(need=need, status=ProposalStatus.PROPOSED).update(
        status=ProposalStatus.REJECTED, decided_by=actor, decided_at=timezone.now()
    )
    set_need_status(need, NeedStatus.CLOSED_UNMET, actor, note)
    audit_record(
        actor=actor, action=Action.NEED_CLOSE, target=need, changes={"status": [before, need.status]}, note=note
    )
    return need
