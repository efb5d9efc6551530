"""The case stage machine as one table. Services consult it; nothing else
decides which move is legal."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casework.models import Pending, Stage
from core.access import Perm

_OPEN = frozenset({Stage.INTAKE, Stage.ASSESSMENT, Stage.PLAN, Stage.INTERVENTION, Stage.EVALUATION})


@dataclass(frozen=True)
class Move:
    label: Promise
    sources: frozenset[str]  # stages it may start from
    pending: str  # what must be awaiting approval ("" = nothing)
    to_stage: str | None  # None = stay in the current stage
    to_pending: str
    perm: Perm
    needs_comment: bool
    refusal: Promise  # why it is refused when the case is elsewhere
    is_decision: bool = False  # an approval decision (not by the requester)


MOVES: dict[str, Move] = {
    "assess": Move(
        _("Start assessment"),
        frozenset({Stage.INTAKE}),
        Pending.NONE,
        Stage.ASSESSMENT,
        Pending.NONE,
        Perm.RECORD_EDIT,
        False,
        _("Only a case at intake can move to assessment."),
    ),
    "draft_plan": Move(
        _("Start the service plan"),
        frozenset({Stage.ASSESSMENT}),
        Pending.NONE,
        Stage.PLAN,
        Pending.NONE,
        Perm.RECORD_EDIT,
        False,
        _("A plan is drafted after the assessment."),
    ),
    "submit_plan": Move(
        _("Submit the plan for approval"),
        frozenset({Stage.PLAN}),
        Pending.NONE,
        None,
        Pending.PLAN,
        Perm.RECORD_EDIT,
        False,
        _("Only a plan being drafted, and not already awaiting approval, can be submitted."),
    ),
    "approve_plan": Move(
        _("Approve the plan"),
        frozenset({Stage.PLAN}),
        Pending.PLAN,
        Stage.INTERVENTION,
        Pending.NONE,
        Perm.APPROVE,
        False,
        _("There is no plan awaiting approval."),
        is_decision=True,
    ),
    "return_plan": Move(
        _("Return the plan for changes"),
        frozenset({Stage.PLAN}),
        Pending.PLAN,
        None,
        Pending.NONE,
        Perm.APPROVE,
        True,
        _("There is no plan awaiting approval."),
        is_decision=True,
    ),
    "evaluate": Move(
        _("Start evaluation"),
        frozenset({Stage.INTERVENTION}),
        Pending.NONE,
        Stage.EVALUATION,
        Pending.NONE,
        Perm.RECORD_EDIT,
        False,
        _("Evaluation follows the intervention."),
    ),
    "resume": Move(
        _("Back to intervention"),
        frozenset({Stage.EVALUATION}),
        Pending.NONE,
        Stage.INTERVENTION,
        Pending.NONE,
        Perm.RECORD_EDIT,
        True,
        _("Only a case under evaluation can go back to intervention."),
    ),
    "request_closure": Move(
        _("Request closure"),
        _OPEN,
        Pending.NONE,
        None,
        Pending.CLOSURE,
        Perm.RECORD_EDIT,
        True,
        _("Closure can be requested for an open case with nothing awaiting approval."),
    ),
    "approve_closure": Move(
        _("Approve closure"),
        _OPEN,
        Pending.CLOSURE,
        Stage.CLOSED,
        Pending.NONE,
        Perm.APPROVE,
        False,
        _("There is no closure awaiting approval."),
        is_decision=True,
    ),
    "return_closure": Move(
        _("Refuse closure"),
        _OPEN,
        Pending.CLOSURE,
        None,
        Pending.NONE,
        Perm.APPROVE,
        True,
        _("There is no closure awaiting approval."),
        is_decision=True,
    ),
    "reopen": Move(
        _("Reopen the case"),
        frozenset({Stage.CLOSED}),
        Pending.NONE,
        Stage.ASSESSMENT,
        Pending.NONE,
        Perm.RECORD_EDIT,
        True,
        _("Only a closed case can be reopened."),
    ),
}


def allowed(stage: str, pending: str, action: str) -> bool:
    move = MOVES.get(action)
    return move is not None and stage in move.sources and pending == move.pending


def available_moves(stage: str, pending: str) -> list[str]:
    return [name for name in MOVES if allowed(stage, pending, name)]
