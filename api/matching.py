"""Needs, resources, matching runs, proposals, tasks and micro-wishes (scoped)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from api.params import MAX_COUNT, Body, Count, Id
from core.access import Perm, get_in_scope_or_404, require, unit_subtree
from matching import services
from matching.models import NeedType
from matching.selectors import (
    needs_visible,
    offers_visible,
    proposals_visible,
    runs_visible,
    tasks_visible,
    wishes_visible,
)
from people.selectors import persons_visible

router = Router(tags=["matching"])


class NeedOut(Schema):
    id: int
    unit_id: int
    person_id: int
    domain_id: int
    need_type: str
    description: str
    quantity: int
    window_start: date | None
    window_end: date | None
    source: str
    status: str


class NeedIn(Body):
    person_id: Id
    need_type: str = Field(min_length=1, max_length=40)
    description: str = Field("", max_length=2000)
    quantity: int = Field(1, ge=1, le=MAX_COUNT)
    window_start: date | None = None
    window_end: date | None = None


class OfferOut(Schema):
    id: int
    unit_id: int
    kind: str
    name: str
    volunteer_id: int | None
    enterprise_id: int | None
    organisation_id: int | None
    need_types: list[str]
    capacity: int
    available_from: date | None
    available_until: date | None
    place: str
    is_active: bool

    @staticmethod
    def resolve_need_types(obj: Any) -> list[str]:
        return sorted(t.code for t in obj.need_types.all())


class RunOut(Schema):
    id: int
    unit_id: int
    status: str
    progress: int
    params: dict
    counts: dict
    unmet: dict


class RunIn(Body):
    unit_id: Id
    max_distance_m: Count | None = None


class ProposalOut(Schema):
    id: int
    run_id: int
    need_id: int
    resource_id: int
    units: int
    distance_m: int
    priority: str
    explanation: dict
    status: str


class DecideIn(Body):
    proposal_ids: list[Id] = Field(min_length=1, max_length=1000)
    due_date: date | None = None
    note: str = Field("", max_length=200)


class TaskOut(Schema):
    id: int
    unit_id: int
    need_id: int
    resource_id: int
    volunteer_id: int | None
    enterprise_id: int | None
    due_date: date
    status: str
    satisfaction: int | None
    feedback: str
    hours: Decimal | None
    completed_on: date | None


class CompleteIn(Body):
    satisfaction: int = Field(ge=1, le=5)
    feedback: str = Field("", max_length=2000)
    hours: Decimal | None = None
    completed_on: date | None = None


class WishOut(Schema):
    id: int
    unit_id: int
    need_id: int
    title: str
    masked_name: str
    value: Decimal
    deadline: date
    status: str
    published_on: date
    claimed_on: date | None
    fulfilled_on: date | None


class ClaimIn(Body):
    enterprise_id: Id | None = None
    volunteer_id: Id | None = None
    claimed_on: date | None = None


class WishIn(Body):
    person_id: Id
    title: str = Field(max_length=100)
    value: Decimal
    deadline: date
    need_type: str
    description: str = Field("", max_length=2000)


def _type(code: str) -> NeedType | None:
    return NeedType.objects.filter(code=code, active=True).select_related("domain").first()


@router.get("/needs", response=list[NeedOut])
def list_needs(request: HttpRequest, status: str = "") -> Any:
    require(request.user, Perm.VIEW)
    qs = needs_visible(request.user)
    return list(qs.filter(status=status) if status else qs[:500])


@router.get("/needs/{need_id}", response=NeedOut)
def get_need(request: HttpRequest, need_id: Id) -> Any:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(needs_visible(request.user), request.user, pk=need_id)


@router.post("/needs", response={201: NeedOut})
def create_need(request: HttpRequest, payload: NeedIn) -> Any:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    require(request.user, Perm.RECORD_EDIT)
    person = get_in_scope_or_404(persons_visible(request.user), request.user, pk=payload.person_id)
    t = _type(payload.need_type)
    if t is None:
        raise ValidationError({"need_type": _("Choose a category from the list.")})
    need = services.need_create(
        actor=request.user,
        person=person,
        domain=t.domain,
        need_type=t.code,
        description=payload.description,
        quantity=payload.quantity,
        window_start=payload.window_start,
        window_end=payload.window_end,
    )
    return 201, need


@router.get("/offers", response=list[OfferOut])
def list_resources(request: HttpRequest) -> Any:
    require(request.user, Perm.VIEW)
    return list(offers_visible(request.user)[:500])


@router.get("/offers/{resource_id}", response=OfferOut)
def get_resource(request: HttpRequest, resource_id: Id) -> Any:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(offers_visible(request.user), request.user, pk=resource_id)


@router.get("/runs", response=list[RunOut])
def list_runs(request: HttpRequest) -> Any:
    require(request.user, Perm.VIEW)
    return list(runs_visible(request.user)[:100])


@router.post("/runs", response={201: RunOut})
def start_run(request: HttpRequest, payload: RunIn) -> Any:
    require(request.user, Perm.RECORD_EDIT)
    unit = get_in_scope_or_404(unit_subtree(request.user), request.user, "id", pk=payload.unit_id)
    run = services.match_run_start(actor=request.user, unit=unit, max_distance_m=payload.max_distance_m)
    return 201, run


@router.get("/runs/{run_id}", response=RunOut)
def get_run(request: HttpRequest, run_id: Id) -> Any:
    require(request.user, Perm.VIEW)
    run = get_in_scope_or_404(runs_visible(request.user), request.user, pk=run_id)
    visible = set(needs_visible(request.user).filter(pk__in=[int(k) for k in run.unmet]).values_list("pk", flat=True))
    run.unmet = {k: v for k, v in run.unmet.items() if int(k) in visible}
    return run


@router.get("/runs/{run_id}/proposals", response=list[ProposalOut])
def list_proposals(request: HttpRequest, run_id: Id) -> Any:
    require(request.user, Perm.VIEW)
    run = get_in_scope_or_404(runs_visible(request.user), request.user, pk=run_id)
    return list(proposals_visible(request.user).filter(run=run))


def _chosen(request: HttpRequest, ids: list[int]) -> list[Any]:
    from django.http import Http404

    found = list(proposals_visible(request.user).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise Http404
    return found


@router.post("/proposals/confirm", response=list[TaskOut])
def confirm_proposals(request: HttpRequest, payload: DecideIn) -> Any:
    require(request.user, Perm.RECORD_EDIT)
    return services.proposal_confirm(
        actor=request.user, proposals=_chosen(request, payload.proposal_ids), due_date=payload.due_date
    )


@router.post("/proposals/reject", response=dict)
def reject_proposals(request: HttpRequest, payload: DecideIn) -> Any:
    require(request.user, Perm.RECORD_EDIT)
    n = services.proposal_reject(
        actor=request.user, proposals=_chosen(request, payload.proposal_ids), note=payload.note
    )
    return {"rejected": n}


@router.get("/tasks", response=list[TaskOut])
def list_tasks(request: HttpRequest) -> Any:
    require(request.user, Perm.VIEW)
    return list(tasks_visible(request.user)[:500])


@router.get("/tasks/{task_id}", response=TaskOut)
def get_task(request: HttpRequest, task_id: Id) -> Any:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(tasks_visible(request.user), request.user, pk=task_id)


@router.post("/tasks/{task_id}/complete", response=TaskOut)
def complete_task(request: HttpRequest, task_id: Id, payload: CompleteIn) -> Any:
    require(request.user, Perm.RECORD_EDIT)
    task = get_in_scope_or_404(tasks_visible(request.user), request.user, pk=task_id)
    return services.task_complete(
        actor=request.user,
        task=task,
        satisfaction=payload.satisfaction,
        feedback=payload.feedback,
        hours=payload.hours,
        completed_on=payload.completed_on,
    )


@router.get("/wishes", response=list[WishOut])
def list_wishes(request: HttpRequest) -> Any:
    require(request.user, Perm.VIEW)
    return list(wishes_visible(request.user)[:500])


@router.get("/wishes/{wish_id}", response=WishOut)
def get_wish(request: HttpRequest, wish_id: Id) -> Any:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(wishes_visible(request.user), request.user, pk=wish_id)


@router.post("/wishes", response={201: WishOut})
def publish_wish(request: HttpRequest, payload: WishIn) -> Any:
    require(request.user, Perm.RECORD_EDIT)
    person = get_in_scope_or_404(persons_visible(request.user), request.user, pk=payload.person_id)
    wish = services.wish_publish(
        actor=request.user,
        person=person,
        title=payload.title,
        value=payload.value,
        deadline=payload.deadline,
        need_type=_type(payload.need_type),
        description=payload.description,
    )
    return 201, wish


@router.post("/wishes/{wish_id}/claim", response=WishOut)
def claim_wish(request: HttpRequest, wish_id: Id, payload: ClaimIn) -> Any:
    """Staff record that an enterprise or a volunteer claimed the wish."""
    from partners.selectors import enterprises_visible
    from volunteers.selectors import volunteers_visible

    require(request.user, Perm.RECORD_EDIT)
    wish = get_in_scope_or_404(wishes_visible(request.user), request.user, pk=wish_id)
    enterprise = volunteer = None
    if payload.enterprise_id is not None:
        enterprise = get_in_scope_or_404(enterprises_visible(request.user), request.user, pk=payload.enterprise_id)
    if payload.volunteer_id is not None:
        volunteer = get_in_scope_or_404(volunteers_visible(request.user), request.user, pk=payload.volunteer_id)
    return services.wish_claim(
        actor=request.user, wish=wish, enterprise=enterprise, volunteer=volunteer, claimed_on=payload.claimed_on
    )
