from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from core.access import Perm, require, require_unit_in_scope, within
from core.concurrency import lock
from matching.models import (
    MatchRun,
    Need,
    NeedStatus,
    NeedType,
    OfferKind,
    Proposal,
    ProposalStatus,
    ResourceOffer,
    RunStatus,
    ServiceTask,
    TaskStatus,
)
from matching.needs import is_user, need_close, need_create, need_update, set_need_status
from matching.runs import compute_run, match_run_execute
from matching.tasks import run_match
from matching.wishes import wish_claim, wish_claim_online, wish_claimant_confirm, wish_fulfil, wish_publish
from projects.links import check_project_link

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------- runs


@transaction.atomic
def match_run_start(*, actor: Any, unit: Any, max_distance_m: int | None = None) -> MatchRun:
    """Start a matching run over the open needs and active offers under `unit`.
    Small runs are computed now; large ones go to the background queue."""
    from matching import conf

    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, unit)
    distance = max_distance_m or conf.max_distance_m()
    if distance < 100 or distance > 100_000:
        raise ValidationError({"max_distance_m": _("The distance must be between 100 m and 100 km.")})
    busy = ValidationError(_("A run for this unit is still in progress; wait for it to finish."))
    if MatchRun.objects.filter(unit=unit, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).exists():
        raise busy
    try:
        with transaction.atomic():
            run = MatchRun.objects.create(
                unit=unit,
                started_by=actor,
                params={"max_distance_m": distance, "k": conf.k_nearest(), "horizon_days": conf.horizon_days()},
            )
    except IntegrityError:  # another server started one since the check above
        raise busy from None
    open_needs = Need.objects.filter(within(unit), status=NeedStatus.OPEN).count()
    audit_record(
        actor=actor, action=Action.MATCHRUN_START, target=run, unit=unit, changes={"needs": [None, open_needs]}
    )
    if open_needs > conf.background_threshold():
        run.params["background"] = True
        run.save(update_fields=["params"])
        transaction.on_commit(lambda: run_match(run.pk))
    else:
        try:
            with transaction.atomic():
                compute_run(run)
        except Exception as exc:  # shown on the run page, and logged
            logger.exception("matching run %s failed", run.pk)
            MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=str(exc)[:2000])
        run.refresh_from_db()
    return run


# ---------------------------------------------------------------- offers

_OFFER_FIELDS = (
    "kind",
    "name",
    "volunteer",
    "enterprise",
    "organisation",
    "capacity",
    "available_from",
    "available_until",
    "place",
    "latitude",
    "longitude",
    "is_active",
)


def _check_offer(offer: ResourceOffer, need_types: list[NeedType]) -> None:
    errors: dict[str, str] = {}
    if not (offer.name or "").strip():
        errors["name"] = _("Say what is offered.")
    if offer.capacity is None or offer.capacity < 0:
        errors["capacity"] = _("The capacity or stock cannot be negative.")
    if offer.available_from and offer.available_until and offer.available_until < offer.available_from:
        errors["available_until"] = _("The time window ends before it starts.")
    if not need_types:
        errors["need_types"] = _("Choose at least one category this resource serves.")
    if offer.kind == OfferKind.VOLUNTEER and offer.volunteer is None:
        errors["volunteer"] = _("Choose the volunteer who offers their time.")
    if offer.kind in (OfferKind.GOODS, OfferKind.SERVICE) and offer.enterprise is None and offer.organisation is None:
        errors["enterprise"] = _("Choose the enterprise or organisation that offers this.")
    if errors:
        raise ValidationError(errors)


def _offer_unit_check(actor: Any, offer: ResourceOffer) -> None:
    for provider in (offer.volunteer, offer.enterprise, offer.organisation):
        if provider is not None:
            require_unit_in_scope(actor, provider.unit)


@transaction.atomic
def offer_create(*, actor: Any, unit: Any, need_types: list[NeedType] | None = None, **fields: Any) -> ResourceOffer:
    """Record a resource offer. A volunteer's offer defaults to their skills
    (as need types) and their tasks-per-week limit."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, unit)
    offer = ResourceOffer(unit=unit, created_by=actor if is_user(actor) else None)
    for f, v in fields.items():
        if f in _OFFER_FIELDS:
            setattr(offer, f, v.strip() if isinstance(v, str) else v)
    types = list(need_types or [])
    if offer.kind == OfferKind.VOLUNTEER and offer.volunteer is not None:
        if not types:
            codes = list(offer.volunteer.skills.values_list("code", flat=True))
            types = list(NeedType.objects.filter(skill_code__in=codes, active=True))
        if "capacity" not in fields or fields.get("capacity") is None:
            offer.capacity = offer.volunteer.max_tasks_per_week
        if not offer.name:
            offer.name = _("Time of %(name)s") % {"name": offer.volunteer.name}
    _check_offer(offer, types)
    _offer_unit_check(actor, offer)
    offer.save()
    offer.need_types.set(types)
    audit_record(
        actor=actor,
        action=Action.OFFER_CREATE,
        target=offer,
        unit=unit,
        changes={**diff({}, snapshot(offer, _OFFER_FIELDS)), "need_types": [None, sorted(t.code for t in types)]},
    )
    return offer


@transaction.atomic
def offer_update(
    *, actor: Any, offer: ResourceOffer, need_types: list[NeedType] | None = None, **fields: Any
) -> ResourceOffer:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, offer.unit)
    before = snapshot(offer, _OFFER_FIELDS)
    for f, v in fields.items():
        if f in _OFFER_FIELDS:
            setattr(offer, f, v.strip() if isinstance(v, str) else v)
    types = list(need_types) if need_types is not None else list(offer.need_types.all())
    _check_offer(offer, types)
    _offer_unit_check(actor, offer)
    offer.save()
    offer.need_types.set(types)
    audit_record(
        actor=actor, action=Action.OFFER_UPDATE, target=offer, changes=diff(before, snapshot(offer, _OFFER_FIELDS))
    )
    return offer


# ---------------------------------------------------------------- proposals and tasks


@transaction.atomic
def proposal_confirm(*, actor: Any, proposals: list[Proposal], due_date: date | None = None) -> list[ServiceTask]:
    """Confirm proposals (one or many): each becomes a service task."""
    from matching import conf

    require(actor, Perm.RECORD_EDIT)
    if not proposals:
        raise ValidationError(_("Choose at least one proposal."))
    today = timezone.localdate()
    if due_date is not None and due_date < today:
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    tasks = []
    for p in proposals:
        require_unit_in_scope(actor, p.unit)
        p = Proposal.objects.select_for_update().select_related("need", "resource").get(pk=p.pk)
        if p.status != ProposalStatus.PROPOSED:
            raise ValidationError(_("Proposal %(id)s was already decided.") % {"id": p.pk})
        if p.need.status not in (NeedStatus.OPEN, NeedStatus.PROPOSED):
            raise ValidationError(_("The need of proposal %(id)s is no longer open.") % {"id": p.pk})
        due = due_date or today + timedelta(days=conf.due_days())
        if due_date is None and p.need.window_end and p.need.window_end >= today:
            due = min(due, p.need.window_end)
        p.status = ProposalStatus.CONFIRMED
        p.decided_by = actor
        p.decided_at = timezone.now()
        p.save(update_fields=["status", "decided_by", "decided_at"])
        task = ServiceTask.objects.create(
            unit=p.unit,
            need=p.need,
            proposal=p,
            resource=p.resource,
            volunteer=p.resource.volunteer,
            enterprise=p.resource.enterprise,
            units=p.units,
            due_date=due,
            created_by=actor,
        )
        set_need_status(p.need, NeedStatus.MATCHED, actor)
        audit_record(
            actor=actor,
            action=Action.PROPOSAL_CONFIRM,
            target=task,
            changes={"proposal": [None, p.pk], "due_date": [None, due.isoformat()]},
        )
        tasks.append(task)
    return tasks


@transaction.atomic
def proposal_reject(*, actor: Any, proposals: list[Proposal], note: str = "") -> int:
    """Reject proposals (one or many); their needs return to the open pool."""
    require(actor, Perm.RECORD_EDIT)
    if not proposals:
        raise ValidationError(_("Choose at least one proposal."))
    for p in proposals:
        require_unit_in_scope(actor, p.unit)
        p = Proposal.objects.select_for_update().select_related("need").get(pk=p.pk)
        if p.status != ProposalStatus.PROPOSED:
            raise ValidationError(_("Proposal %(id)s was already decided.") % {"id": p.pk})
        p.status = ProposalStatus.REJECTED
        p.decided_by = actor
        p.decided_at = timezone.now()
        p.save(update_fields=["status", "decided_by", "decided_at"])
        still = p.need.proposals.filter(status=ProposalStatus.PROPOSED).exists()
        if p.need.status == NeedStatus.PROPOSED and not still:
            set_need_status(p.need, NeedStatus.OPEN, actor, note)
        audit_record(
            actor=actor,
            action=Action.PROPOSAL_REJECT,
            target=p,
            changes={"status": ["proposed", "rejected"]},
            note=note,
        )
    return len(proposals)


@transaction.atomic
def task_start(*, actor: Any, task: ServiceTask) -> ServiceTask:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, task.unit)
    lock(task)
    if task.status != TaskStatus.ASSIGNED:
        raise ValidationError(_("Only an assigned task can be started."))
    task.status = TaskStatus.IN_PROGRESS
    task.save(update_fields=["status"])
    set_need_status(task.need, NeedStatus.IN_SERVICE, actor)
    audit_record(actor=actor, action=Action.TASK_START, target=task, changes={"status": ["assigned", "in_progress"]})
    return task


@transaction.atomic
def task_complete(
    *,
    actor: Any,
    task: ServiceTask,
    satisfaction: int | None,
    feedback: str = "",
    hours: Decimal | None = None,
    completed_on: date | None = None,
    project: Any = None,
) -> ServiceTask:
    """Record that a task was carried out, with the resident's feedback; a
    volunteer's task also records their service hours. A `project` files the
    task under a service project (none given: it stays as it was)."""
    from volunteering.services import service_record_create

    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, task.unit)
    lock(task)
    errors: dict[str, str] = {}
    if task.status not in (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS):
        raise ValidationError(_("This task is already closed."))
    if satisfaction is None or not 1 <= int(satisfaction) <= 5:
        errors["satisfaction"] = _("Rate the satisfaction from 1 to 5.")
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        errors["completed_on"] = _("The completion date cannot be in the future.")
    if task.volunteer_id and (hours is None or hours <= 0):
        errors["hours"] = _("Enter the hours the volunteer served.")
    if errors:
        raise ValidationError(errors)
    check_project_link(actor=actor, project=project, unit=task.unit)
    if task.volunteer_id:
        try:
            record = service_record_create(
                actor=actor,
                volunteer=task.volunteer,
                activity_name=_("Service task: %(type)s") % {"type": task.need.need_type},
                date=completed_on,
                place=task.resource.place or task.unit.name,
                content=task.need.description[:500],
                hours=hours,
                organiser=task.unit.name,
                person_in_charge=actor.get_full_name() if hasattr(actor, "get_full_name") else str(actor),
                source_type="matching.task",
                source_id=str(task.pk),
            )
        except ValidationError as exc:
            raise ValidationError(
                {k if k in ("hours",) else "completed_on": v for k, v in exc.message_dict.items()}
            ) from None
        task.service_record = record
    task.status = TaskStatus.DONE
    task.satisfaction = int(satisfaction)  # type: ignore[arg-type]
    task.feedback = feedback
    task.hours = hours
    task.completed_on = completed_on
    if project is not None:
        task.project = project
    task.save()
    set_need_status(task.need, NeedStatus.DONE, actor)
    audit_record(
        actor=actor,
        action=Action.TASK_COMPLETE,
        target=task,
        changes={"status": ["open", "done"], "satisfaction": [None, task.satisfaction]},
    )
    return task


@transaction.atomic
def task_cancel(*, actor: Any, task: ServiceTask, note: str) -> ServiceTask:
    """Cancel a task; its need returns to the open pool."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, task.unit)
    lock(task)
    if task.status not in (TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS):
        raise ValidationError(_("This task is already closed."))
    if not note.strip():
        raise ValidationError({"note": _("Say why the task is cancelled.")})
    task.status = TaskStatus.CANCELLED
    task.feedback = note
    task.save(update_fields=["status", "feedback"])
    set_need_status(task.need, NeedStatus.OPEN, actor, note)
    audit_record(
        actor=actor, action=Action.TASK_CANCEL, target=task, changes={"status": ["open", "cancelled"]}, note=note
    )
    return task


__all__ = [
    "match_run_execute",
    "match_run_start",
    "need_close",
    "need_create",
    "need_update",
    "offer_create",
    "offer_update",
    "proposal_confirm",
    "proposal_reject",
    "task_cancel",
    "task_complete",
    "task_start",
    "wish_claim",
    "wish_claim_online",
    "wish_claimant_confirm",
    "wish_fulfil",
    "wish_publish",
]
