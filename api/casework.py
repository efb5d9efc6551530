"""Cases, groups, activities and the service counts (thin: schemas + calls to
casework selectors and services)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from api.params import Body, Id, WindowParams, in_window
from casework import selectors, services
from casework.access import can_read_confidential
from casework.models import Stage
from core.access import Perm, get_in_scope_or_404, require
from core.models import ServiceDomain
from customfields.filters import filter_params
from people.selectors import persons_visible

router = Router(tags=["services"])


class CaseOut(Schema):
    id: int
    number: str
    person_id: int
    unit_id: int
    domain: str
    title: str
    stage: str
    pending: str
    opened_on: dt.date
    closed_on: dt.date | None
    worker_id: int
    supervisor_id: int | None
    custom: dict[str, Any] = Field(description="the district's custom fields on cases: {code: value}")

    @staticmethod
    def resolve_domain(obj: Any) -> str:
        return obj.domain.code


class CaseIn(Body):
    person_id: Id
    domain: str = Field(min_length=1, max_length=30)
    title: str = Field(min_length=1, max_length=120)
    intake_summary: str = Field("", max_length=5000)
    opened_on: dt.date | None = None
    custom: dict[str, Any] = Field(default_factory=dict, description="the district's custom fields: {code: value}")


class MoveIn(Body):
    action: str = Field(min_length=1, max_length=30)
    comment: str = Field("", max_length=2000)


class DeliveredIn(Body):
    date: dt.date
    description: str = Field(min_length=1, max_length=300)
    minutes: int = Field(60, ge=1, le=1440)


class DeliveredOut(Schema):
    id: int
    date: dt.date
    description: str
    minutes: int


class NoteIn(Body):
    text: str = Field(min_length=1, max_length=20000)
    date: dt.date | None = None


class NoteOut(Schema):
    id: int
    date: dt.date
    text: str
    author_id: int | None


class GroupOut(Schema):
    id: int
    unit_id: int
    name: str
    domain: str
    goals: str
    status: str
    start_on: dt.date
    planned_sessions: int

    @staticmethod
    def resolve_domain(obj: Any) -> str:
        return obj.domain.code


class MemberOut(Schema):
    id: int
    person_id: int
    pre_score: float | None
    post_score: float | None
    change: float | None


class SessionOut(Schema):
    id: int
    number: int
    date: dt.date
    topic: str
    present: int


class GroupDetail(GroupOut):
    members: list[MemberOut]
    sessions: list[SessionOut]

    @staticmethod
    def resolve_members(obj: Any) -> list[dict[str, Any]]:
        return [
            {
                "id": m.pk,
                "person_id": m.person_id,
                "pre_score": m.pre_score,
                "post_score": m.post_score,
                "change": m.change,
            }
            for m in obj.members.all()
        ]

    @staticmethod
    def resolve_sessions(obj: Any) -> list[dict[str, Any]]:
        return [
            {"id": s.pk, "number": s.number, "date": s.date, "topic": s.topic, "present": s.n_present}
            for s in obj.sessions.all()
        ]


class ActivityOut(Schema):
    id: int
    unit_id: int
    title: str
    domain: str
    venue: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    organiser: str
    status: str
    head_count: int
    summary: str

    @staticmethod
    def resolve_domain(obj: Any) -> str:
        return obj.domain.code


class ActivityIn(Body):
    unit_id: Id
    title: str = Field(min_length=1, max_length=120)
    domain: str = Field(min_length=1, max_length=30)
    venue: str = Field(min_length=1, max_length=120)
    starts_at: dt.datetime
    ends_at: dt.datetime
    organiser: str = Field(min_length=1, max_length=100)
    plan: str = Field("", max_length=5000)


class ActivityCounts(Schema):
    residents: int
    volunteers: int
    signed_up: int
    person_times: int


class CountsOut(Schema):
    start: dt.date
    end: dt.date
    person_times: int
    persons_served: int
    breakdown: dict[str, int]


def _domain(code: str) -> ServiceDomain:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    domain = ServiceDomain.objects.filter(code=code, active=True).first()
    if domain is None:
        raise ValidationError({"domain": _("Unknown service domain.")})
    return domain


def _case(request: HttpRequest, case_id: Id) -> Any:
    return get_in_scope_or_404(selectors.cases_visible(request.user), request.user, pk=case_id)


@router.get("/cases", response=list[CaseOut])
def list_cases(request: HttpRequest, window: Query[WindowParams], stage: str = "") -> Any:
    require(request.user, Perm.VIEW)
    qs = selectors.cases_visible(request.user)
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    qs = filter_params(qs, target="case", user=request.user, params=request.GET)  # custom_<code>=…
    return in_window(qs, window)


@router.get("/cases/{case_id}", response=CaseOut)
def get_case(request: HttpRequest, case_id: Id) -> Any:
    require(request.user, Perm.VIEW)
    return _case(request, case_id)


@router.post("/cases", response={201: CaseOut})
def create_case(request: HttpRequest, payload: CaseIn) -> Status:
    require(request.user, Perm.RECORD_EDIT)
    person = get_in_scope_or_404(persons_visible(request.user), request.user, pk=payload.person_id)
    case = services.case_create(
        actor=request.user,
        person=person,
        domain=_domain(payload.domain),
        title=payload.title,
        intake_summary=payload.intake_summary,
        opened_on=payload.opened_on,
        custom=payload.custom,
    )
    return Status(201, case)


@router.post("/cases/{case_id}/moves", response=CaseOut)
def move_case(request: HttpRequest, case_id: Id, payload: MoveIn) -> Any:
    require(request.user, Perm.VIEW)
    return services.case_move(actor=request.user, case=_case(request, case_id), **payload.dict())


@router.get("/cases/{case_id}/services", response=list[DeliveredOut])
def list_delivered(request: HttpRequest, case_id: Id) -> Any:
    require(request.user, Perm.VIEW)
    return list(_case(request, case_id).delivered_services.all())


@router.post("/cases/{case_id}/services", response={201: DeliveredOut})
def deliver_service(request: HttpRequest, case_id: Id, payload: DeliveredIn) -> Status:
    require(request.user, Perm.RECORD_EDIT)
    return Status(
        201, services.case_service_deliver(actor=request.user, case=_case(request, case_id), **payload.dict())
    )


@router.get("/cases/{case_id}/notes", response=list[NoteOut])
def list_notes(request: HttpRequest, case_id: Id) -> Any:
    """Confidential: the case's workers and their supervisors only (403 otherwise)."""
    require(request.user, Perm.VIEW)
    case = _case(request, case_id)
    if not can_read_confidential(request.user, case):
        raise PermissionDenied
    return list(selectors.case_notes(case))


@router.post("/cases/{case_id}/notes", response={201: NoteOut})
def add_note(request: HttpRequest, case_id: Id, payload: NoteIn) -> Status:
    require(request.user, Perm.RECORD_EDIT)
    return Status(201, services.case_note_add(actor=request.user, case=_case(request, case_id), **payload.dict()))


@router.get("/groups", response=list[GroupOut])
def list_groups(request: HttpRequest, window: Query[WindowParams]) -> Any:
    require(request.user, Perm.VIEW)
    return in_window(selectors.groups_visible(request.user), window)


@router.get("/groups/{group_id}", response=GroupDetail)
def get_group(request: HttpRequest, group_id: Id) -> Any:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(selectors.group_detail_qs(request.user), request.user, pk=group_id)


@router.get("/activities", response=list[ActivityOut])
def list_activities(request: HttpRequest, window: Query[WindowParams], status: str = "") -> Any:
    require(request.user, Perm.VIEW)
    qs = selectors.activities_visible(request.user)
    if status:
        qs = qs.filter(status=status)
    return in_window(qs, window)


@router.get("/activities/{activity_id}", response=ActivityOut)
def get_activity(request: HttpRequest, activity_id: Id) -> Any:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(selectors.activities_visible(request.user), request.user, pk=activity_id)


@router.get("/activities/{activity_id}/counts", response=ActivityCounts)
def activity_counts(request: HttpRequest, activity_id: Id) -> Any:
    require(request.user, Perm.VIEW)
    activity = get_in_scope_or_404(selectors.activities_visible(request.user), request.user, pk=activity_id)
    return selectors.activity_counts(activity)


@router.post("/activities", response={201: ActivityOut})
def create_activity(request: HttpRequest, payload: ActivityIn) -> Status:
    from orgs.selectors import units_visible

    require(request.user, Perm.RECORD_EDIT)
    unit = get_in_scope_or_404(units_visible(request.user), request.user, "id", pk=payload.unit_id)
    data = payload.dict(exclude={"unit_id", "domain"})
    return Status(201, services.activity_create(actor=request.user, unit=unit, domain=_domain(payload.domain), **data))


@router.get("/service-counts", response=CountsOut)
def service_counts(request: HttpRequest, start: dt.date | None = None, end: dt.date | None = None) -> Any:
    """服务人次 and 服务人数 in the caller's scope (docs/counting.md); default: this month so far."""
    from django.utils import timezone

    require(request.user, Perm.VIEW)
    end = end or timezone.localdate()
    start = start or end.replace(day=1)
    if end < start:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({"end": _("The end of the period is before its start.")})
    breakdown = selectors.person_times_breakdown(request.user, start, end)
    return {
        "start": start,
        "end": end,
        "person_times": sum(breakdown.values()),
        "persons_served": selectors.persons_served(request.user, start, end),
        "breakdown": breakdown,
    }
