"""Volunteers (志愿者) and teams. IDs are masked in every answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from api.params import Body, Id, Omittable, PageParams, paginate
from api.versions import versioned
from core import identity
from core.access import Perm, get_in_scope_or_404, require, unit_subtree
from core.models import ServiceDomain
from volunteers import selectors, services
from volunteers.models import Skill, Volunteer

router = Router(tags=["registries"])


class VolunteerOut(Schema):
    id: int
    unit_id: int
    name: str
    sex: str
    birth_date: dt.date
    resident_id: str = Field(description="masked")
    phone: str
    address: str
    skills: list[str]
    skills_note: str
    domains: list[str]
    team_ids: list[int]
    availability: dict[str, list[str]]
    max_tasks_per_week: int
    consent_at: dt.date | None
    is_active: bool

    @staticmethod
    def resolve_resident_id(obj: Volunteer) -> str:
        return identity.masked_id_of(obj)

    @staticmethod
    def resolve_skills(obj: Volunteer) -> list[str]:
        return [s.code for s in obj.skills.all()]

    @staticmethod
    def resolve_domains(obj: Volunteer) -> list[str]:
        return [d.code for d in obj.domains.all()]

    @staticmethod
    def resolve_team_ids(obj: Volunteer) -> list[int]:
        return [t.pk for t in obj.teams.all()]


class VolunteerPage(Schema):
    count: int
    page: int
    pages: int
    items: list[VolunteerOut]


class VolunteerFilters(Schema):
    q: str = ""
    skill: str = Field("", description="skill code")
    domain: str = Field("", description="service domain code")
    day: str = Field("", description="mon … sun: free that day")


class VolunteerIn(Body):
    unit_id: Id
    name: str = Field(min_length=1, max_length=50)
    resident_id: str = Field("", max_length=24)
    sex: str = Field("", pattern=r"^(M|F)?$")
    birth_date: dt.date | None = None
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=200)
    skills: list[str] = Field(default_factory=list, description="skill codes")
    skills_note: str = Field("", max_length=200)
    domains: list[str] = Field(default_factory=list, description="service domain codes")
    team_ids: list[Id] = Field(default_factory=list)
    availability: dict[str, list[str]] = Field(default_factory=dict, examples=[{"sat": ["am", "pm"]}])
    max_tasks_per_week: int = Field(2, ge=1, le=14)
    consent_at: dt.date | None = None
    notes: str = ""


class VolunteerPatch(Body):
    unit_id: Omittable[Id] = None
    name: Omittable[str] = Field(None, min_length=1, max_length=50)
    resident_id: Omittable[str] = Field(None, max_length=24)
    phone: Omittable[str] = Field(None, max_length=20)
    address: Omittable[str] = Field(None, max_length=200)
    skills: Omittable[list[str]] = None
    skills_note: Omittable[str] = Field(None, max_length=200)
    domains: Omittable[list[str]] = None
    team_ids: Omittable[list[Id]] = None
    availability: Omittable[dict[str, list[str]]] = None
    max_tasks_per_week: Omittable[int] = Field(None, ge=1, le=14)
    consent_at: dt.date | None = None
    notes: Omittable[str] = None
    is_active: Omittable[bool] = None


def _qs(request: HttpRequest) -> Any:
    return selectors.volunteers_visible(request.user).prefetch_related("skills", "domains", "teams")


def _resolve(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "unit_id" in data:
        data["unit"] = get_in_scope_or_404(unit_subtree(request.user), request.user, "id", pk=data.pop("unit_id"))
    if data.get("skills") is not None:
        data["skills"] = selectors.skills_by_codes(data["skills"])
    if data.get("domains") is not None:
        data["domains"] = selectors.domains_by_codes(data["domains"])
    if "team_ids" in data:
        ids = data.pop("team_ids")
        if ids is not None:
            data["teams"] = [
                get_in_scope_or_404(selectors.teams_visible(request.user), request.user, pk=i) for i in ids
            ]
    return data


@router.get("/volunteers", response=VolunteerPage)
def list_volunteers(request: HttpRequest, filters: Query[VolunteerFilters], paging: Query[PageParams]) -> dict:
    require(request.user, Perm.VIEW)
    skill = Skill.objects.filter(code=filters.skill).first() if filters.skill else None
    domain = ServiceDomain.objects.filter(code=filters.domain).first() if filters.domain else None
    qs = selectors.filter_volunteers(_qs(request), q=filters.q, skill=skill, domain=domain, day=filters.day)
    if (filters.skill and skill is None) or (filters.domain and domain is None):
        qs = qs.none()
    return paginate(qs, paging)


@router.get("/volunteers/{volunteer_id}", response=VolunteerOut)
@versioned
def get_volunteer(request: HttpRequest, volunteer_id: Id) -> Volunteer:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(_qs(request), request.user, pk=volunteer_id)


@router.post("/volunteers", response={201: VolunteerOut})
def create_volunteer(request: HttpRequest, payload: VolunteerIn) -> tuple[int, Volunteer]:
    require(request.user, Perm.RECORD_EDIT)
    data = _resolve(request, payload.dict())
    v = services.volunteer_create(actor=request.user, **data)
    return 201, _qs(request).get(pk=v.pk)


@router.patch("/volunteers/{volunteer_id}", response=VolunteerOut)
@versioned
def update_volunteer(request: HttpRequest, volunteer_id: Id, payload: VolunteerPatch) -> Volunteer:
    require(request.user, Perm.RECORD_EDIT)
    v = get_in_scope_or_404(selectors.volunteers_visible(request.user), request.user, pk=volunteer_id)
    data = _resolve(request, payload.dict(exclude_unset=True))
    services.volunteer_update(actor=request.user, volunteer=v, **data)
    return _qs(request).get(pk=v.pk)
