"""Case services: opening, the stage machine with approvals, goals, services,
confidential notes and files, transfer (referrals: services/referrals.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from casework import conf, notices
from casework.access import can_read_confidential, require_case_team
from casework.models import (
    Case,
    CaseAttachment,
    CaseCounter,
    CaseGoal,
    CaseNote,
    CaseTransition,
    DeliveredService,
    PlannedService,
    Stage,
)
from casework.services.together import note_amendment, require_plan_editable
from casework.storage import ATTACHMENT
from casework.workflow import MOVES
from core import uploads
from core.access import Perm, can, require, require_unit_in_scope, unit_in_scope
from core.roles import Level
from customfields.values import audit_snapshot, clean_custom

if TYPE_CHECKING:
    from accounts.models import User

_CASE_FIELDS = ("number", "person", "domain", "title", "stage", "pending", "opened_on", "worker", "supervisor")


def _station_of(unit: Any) -> Any:
    node = unit
    while node is not None and node.level != Level.STATION:
        node = node.parent
    return node or unit


def _next_sequence(station: Any) -> int:
    counter, _created = CaseCounter.objects.get_or_create(station=station)
    counter = CaseCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def case_number(*, domain: Any, seq: int, opened: dt.date, station: Any, worker: Any) -> str:
    prefix = conf.domain_prefixes().get(domain.code, domain.code[:3].upper())
    return conf.case_number_pattern().format(
        domain=prefix,
        seq=seq,
        opened=opened,
        station=station.code[6:9] if len(station.code) >= 9 else station.code,
        worker=worker.pk,
        year=opened.year,
    )


def _check_staff(user: Any, case_unit: Any, field: str) -> None:
    if user is None or not user.is_active or not can(user, Perm.RECORD_EDIT) or not unit_in_scope(user, case_unit):
        raise ValidationError({field: _("Choose an active worker whose unit covers this resident.")})


@transaction.atomic
def case_create(
    *,
    actor: Any,
    person: Any,
    domain: Any,
    title: str,
    intake_summary: str = "",
    opened_on: dt.date | None = None,
    worker: Any = None,
    supervisor: Any = None,
    custom: dict[str, Any] | None = None,
) -> Case:
    """接案: open a case for a resident in scope; it starts at intake.
    `custom`: the district's custom fields on cases by code (customfields checks them)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    worker = worker or actor
    opened_on = opened_on or timezone.localdate()
    errors: dict[str, str] = {}
    if not (title or "").strip():
        errors["title"] = _("Describe the presenting problem.")
    if opened_on > timezone.localdate():
        errors["opened_on"] = _("A case cannot be opened in the future.")
    values: dict[str, Any] = {}
    if custom is not None:
        try:
            values = clean_custom(target="case", unit=person.unit, values=custom)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    _check_staff(worker, person.unit, "worker")
    if supervisor is not None and not (can(supervisor, Perm.APPROVE) and unit_in_scope(supervisor, person.unit)):
        raise ValidationError(
            {"supervisor": _("The supervisor must be a supervisor or station lead covering this resident.")}
        )
    station = _station_of(person.unit)
    number = case_number(domain=domain, seq=_next_sequence(station), opened=opened_on, station=station, worker=worker)
    case = Case.objects.create(
        unit=person.unit,
        number=number,
        person=person,
        domain=domain,
        title=title.strip(),
        intake_summary=intake_summary,
        opened_on=opened_on,
        worker=worker,
        supervisor=supervisor,
        custom=values,
    )
    CaseTransition.objects.create(case=case, action="open", from_stage=Stage.INTAKE, to_stage=Stage.INTAKE, actor=actor)
    opened = {**snapshot(case, _CASE_FIELDS), **audit_snapshot("case", case.unit, values)}
    audit_record(actor=actor, action=Action.CASE_CREATE, target=case, changes=diff({}, opened))
    notices.case_assigned(case=case, worker=worker, actor=actor)
    return case


@transaction.atomic
def case_move(*, actor: Any, case: Case, action: str, comment: str = "") -> Case:
    """Apply one move of the stage table; refuse illegal moves with the reason."""
    require_unit_in_scope(actor, case.unit)
    move = MOVES.get(action)
    if move is None:
        raise ValidationError({"action": _("Unknown action.")})
    require(actor, move.perm)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not move.is_decision:
        require_case_team(actor, case)
    if case.stage not in move.sources or case.pending != move.pending:
        raise ValidationError(
            {"action": _("“%(move)s” is not possible now: %(reason)s") % {"move": move.label, "reason": move.refusal}}
        )
    comment = (comment or "").strip()
    if move.needs_comment and not comment:
        raise ValidationError({"comment": _("Give a reason or comment for this step.")})
    if move.is_decision and actor.pk == case.worker_id:
        raise ValidationError({"action": _("The case worker cannot approve or refuse their own request.")})
    if action == "submit_plan" and not case.goals.exists():
        raise ValidationError({"action": _("Add at least one goal before submitting the plan.")})
    if action == "approve_plan" and not case.planned_services.exists():
        raise ValidationError({"action": _("The plan has no planned services yet.")})
    before = snapshot(case, ("stage", "pending", "closed_on", "closure_reason"))
    from_stage = case.stage
    if move.to_stage is not None:
        case.stage = move.to_stage
    case.pending = move.to_pending
    if action == "request_closure":
        case.closure_reason = comment
    if case.stage == Stage.CLOSED:
        case.closed_on = timezone.localdate()
    elif action == "reopen":
        case.closed_on = None
    case.save()
    CaseTransition.objects.create(
        case=case, action=action, from_stage=from_stage, to_stage=case.stage, actor=actor, comment=comment
    )
    audit_record(
        actor=actor,
        action=Action(f"case.{action}"),
        target=case,
        changes=diff(before, snapshot(case, ("stage", "pending", "closed_on", "closure_reason"))),
        note=comment[:200],
    )
    notices.case_moved(case=case, action=action, actor=actor)
    return case


@transaction.atomic
def case_goal_add(*, actor: Any, case: Case, text: str) -> CaseGoal:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, case.unit)
    require_case_team(actor, case)
    require_plan_editable(case)
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the goal.")})
    goal = CaseGoal.objects.create(case=case, text=text.strip())
    note_amendment(actor=actor, case=case, comment=_("Goal added: %(text)s") % {"text": goal.text})
    audit_record(actor=actor, action=Action.CASE_GOAL_ADD, target=case, changes={"goal": [None, goal.text]})
    return goal


@transaction.atomic
def case_goal_assess(*, actor: Any, goal: CaseGoal, achieved: bool | None) -> CaseGoal:
    """Mark a goal achieved, not achieved, or not yet judged (during evaluation)."""
    case = goal.case
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, case.unit)
    require_case_team(actor, case)
    if case.stage not in (Stage.INTERVENTION, Stage.EVALUATION):
        raise ValidationError({"achieved": _("Goals are judged during intervention and evaluation.")})
    before = goal.achieved
    goal.achieved = achieved
    goal.save(update_fields=["achieved"])
    audit_record(actor=actor, action=Action.CASE_GOAL_ASSESS, target=case, changes={goal.text[:60]: [before, achieved]})
    return goal


@transaction.atomic
def case_service_plan(*, actor: Any, case: Case, description: str, frequency: str = "") -> PlannedService:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, case.unit)
    require_case_team(actor, case)
    require_plan_editable(case)
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe the service.")})
    service = PlannedService.objects.create(case=case, description=description.strip(), frequency=frequency)
    note_amendment(actor=actor, case=case, comment=_("Service planned: %(text)s") % {"text": service.description})
    audit_record(actor=actor, action=Action.CASE_SERVICE_PLAN, target=case, changes={"planned": [None, description]})
    return service


@transaction.atomic
def case_service_deliver(
    *,
    actor: Any,
    case: Case,
    date: dt.date,
    description: str,
    minutes: int = 60,
    planned: PlannedService | None = None,
) -> DeliveredService:
    """介入: log a service delivered; only while the case is in intervention."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, case.unit)
    require_case_team(actor, case)
    errors: dict[str, str] = {}
    if case.stage != Stage.INTERVENTION:
        errors["__all__"] = _("Services are logged while the case is in intervention (after the plan is approved).")
    if not (description or "").strip():
        errors["description"] = _("Describe what was done.")
    if date is None or date > timezone.localdate():
        errors["date"] = _("The date cannot be in the future.")
    elif date < case.opened_on:
        errors["date"] = _("The date is before the case was opened.")
    if minutes is None or minutes <= 0 or minutes > 24 * 60:
        errors["minutes"] = _("Enter between 1 and 1440 minutes.")
    if planned is not None and planned.case_id != case.pk:
        errors["planned"] = _("That planned service belongs to another case.")
    if errors:
        raise ValidationError(errors)
    service = DeliveredService.objects.create(
        case=case, date=date, description=description.strip(), minutes=minutes, planned=planned, worker=actor
    )
    audit_record(
        actor=actor,
        action=Action.CASE_SERVICE_DELIVER,
        target=case,
        changes={"delivered": [None, f"{date.isoformat()} {minutes}min"]},
    )
    return service


@transaction.atomic
def case_note_add(*, actor: Any, case: Case, text: str, date: dt.date | None = None) -> CaseNote:
    """A confidential case note; its text is never copied into the audit log."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, case.unit)
    require_case_team(actor, case)
    date = date or timezone.localdate()
    if not (text or "").strip():
        raise ValidationError({"text": _("The note is empty.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    note = CaseNote.objects.create(case=case, author=actor, date=date, text=text.strip())
    audit_record(actor=actor, action=Action.CASE_NOTE_ADD, target=case, changes={"note": [None, "***"]})
    return note


@transaction.atomic
def case_attachment_add(*, actor: Any, case: Case, upload: UploadedFile, description: str = "") -> CaseAttachment:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, case.unit)
    require_case_team(actor, case)
    checked = uploads.check(upload, ATTACHMENT, field="file")
    name = checked.name
    attachment = CaseAttachment(
        case=case,
        original_name=name,
        content_type=checked.content_type,
        size=checked.size,
        description=description,
        uploaded_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
        audit_record(actor=actor, action=Action.CASE_ATTACHMENT_ADD, target=case, changes={"attachment": [None, name]})
    except Exception:
        attachment.file.delete(save=False)  # no orphan file when the row is not written
        raise
    return attachment


def case_attachment_open(*, actor: Any, attachment: CaseAttachment) -> IO[bytes]:
    """Open a case file for download after the confidentiality check (audited)."""
    case = attachment.case
    require_unit_in_scope(actor, case.unit)
    if not can_read_confidential(actor, case):
        raise PermissionDenied
    audit_record(actor=actor, action=Action.CASE_ATTACHMENT_READ, target=case, note=attachment.original_name)
    return attachment.file.open("rb")


@transaction.atomic
def case_transfer(*, actor: Any, case: Case, to_worker: Any, reason: str) -> Case:
    """Hand the case to another worker (by the case worker or a supervising role)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, case.unit)
    if not (actor.pk == case.worker_id or (can(actor, Perm.CASE_SUPERVISE) and unit_in_scope(actor, case.unit))):
        raise PermissionDenied
    if not case.is_open:
        raise ValidationError(_("A closed case is not transferred."))
    if to_worker is None or to_worker.pk == case.worker_id:
        raise ValidationError({"to_worker": _("Choose a different worker.")})
    _check_staff(to_worker, case.unit, "to_worker")
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the transfer.")})
    before = snapshot(case, ("worker",))
    previous = case.worker
    case.worker = to_worker
    case.save(update_fields=["worker", "updated_at"])
    case.co_workers.remove(to_worker)
    CaseTransition.objects.create(
        case=case,
        action="transfer",
        from_stage=case.stage,
        to_stage=case.stage,
        actor=actor,
        comment=f"{previous} → {to_worker}: {reason.strip()}",
    )
    audit_record(
        actor=actor,
        action=Action.CASE_TRANSFER,
        target=case,
        changes=diff(before, snapshot(case, ("worker",))),
        note=reason,
    )
    notices.case_assigned(case=case, worker=to_worker, actor=actor)
    return case


@transaction.atomic
def cases_reassign(*, actor: User, cases: Iterable[Case], to_worker: User, reason: str) -> int:
    """Hand several cases to one worker at once (the case list's bulk action):
    each is a `case_transfer`, checked and audited per case; all or nothing.
    Cases the worker already holds are left as they are. Returns how many moved."""
    moved, refused = 0, []
    for case in cases:
        if case.worker_id == to_worker.pk:
            continue
        try:
            case_transfer(actor=actor, case=case, to_worker=to_worker, reason=reason)
        except ValidationError as exc:
            if "reason" in getattr(exc, "error_dict", {}):
                raise
            refused.append(f"{case.number}: {' '.join(exc.messages)}")
        except PermissionDenied:
            refused.append(_("%(case)s: only its case worker or a supervisor may transfer it.") % {"case": case.number})
        else:
            moved += 1
    if refused:
        raise ValidationError(_("Nothing was reassigned. %(cases)s") % {"cases": "; ".join(refused)})
    return moved
