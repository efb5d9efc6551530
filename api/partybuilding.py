"""Party-building and community profiles (read only): Party organisations,
co-building agreements with their commitments, the Party-building figures of
a unit (partybuilding.figures counts them) and a community's profile."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from api.params import Id, PageParams, paginate
from core.access import Perm, get_in_scope_or_404, require
from orgs.profiles import profile_of
from orgs.selectors import units_visible
from partybuilding.figures import party_figures
from partybuilding.selectors import agreements_visible, organisations_visible

router = Router(tags=["party-building"])


class PartyOrganisationOut(Schema):
    id: int
    unit_id: int
    name: str
    kind: str
    secretary: str
    members: int


class PartyOrganisationPage(Schema):
    count: int
    page: int
    pages: int
    items: list[PartyOrganisationOut]


class CommitmentOut(Schema):
    id: int
    content: str
    due_on: dt.date
    delivered_on: dt.date | None
    evidence: str


class AgreementOut(Schema):
    id: int
    unit_id: int
    organisation_id: int | None
    partner: str
    partner_kind: str
    enterprise_id: int | None
    signed_on: dt.date
    starts_on: dt.date
    ends_on: dt.date
    n_commitments: int
    n_delivered: int
    n_overdue: int


class AgreementPage(Schema):
    count: int
    page: int
    pages: int
    items: list[AgreementOut]


class AgreementDetailOut(AgreementOut):
    notes: str
    commitments: list[CommitmentOut]


class FiguresParams(Schema):
    unit: Id | None = None
    year: int | None = Field(None, ge=2000, le=2100)


class PartyFiguresOut(Schema):
    unit_id: int
    start: dt.date
    end: dt.date
    party_activities: int
    party_volunteer_hours: Decimal
    commitments_delivered: int
    proposals_adopted: int
    commitments_overdue: int


class ProfileOut(Schema):
    unit_id: int
    figures_year: int | None
    population: int | None
    households: int | None
    area_km2: Decimal | None
    characteristics: list[str]
    secretary: str
    secretary_phone: str
    contacts: str
    notes: str


@router.get("/party/organisations", response=PartyOrganisationPage)
def list_organisations(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    require(request.user, Perm.VIEW)
    return paginate(organisations_visible(request.user).order_by("unit__path", "name", "pk"), params)


@router.get("/party/agreements", response=AgreementPage)
def list_agreements(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    require(request.user, Perm.VIEW)
    return paginate(agreements_visible(request.user).order_by("-signed_on", "-pk"), params)


@router.get("/party/agreements/{agreement_id}", response=AgreementDetailOut)
def get_agreement(request: HttpRequest, agreement_id: Id) -> Any:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(agreements_visible(request.user), request.user, pk=agreement_id)


@router.get("/party/figures", response=PartyFiguresOut)
def get_figures(request: HttpRequest, params: Query[FiguresParams]) -> dict[str, Any]:
    """A unit's Party-building figures for a year (default: the caller's unit, this year)."""
    require(request.user, Perm.VIEW)
    user: Any = request.user
    unit = get_in_scope_or_404(units_visible(user), user, "id", pk=params.unit or user.unit_id)
    today = timezone.localdate()
    year = params.year or today.year
    if year > today.year:
        raise Http404
    figures = party_figures(unit, dt.date(year, 1, 1), min(dt.date(year, 12, 31), today), today=today)
    return {
        "unit_id": unit.pk,
        "start": figures.start,
        "end": figures.end,
        **{code: v if code == "party_volunteer_hours" else int(v) for code, v in figures.totals.items()},
        "commitments_overdue": figures.overdue,
    }


@router.get("/units/{unit_id}/profile", response=ProfileOut)
def get_profile(request: HttpRequest, unit_id: Id) -> dict[str, Any]:
    require(request.user, Perm.VIEW)
    unit = get_in_scope_or_404(units_visible(request.user), request.user, "id", pk=unit_id)
    profile = profile_of(unit)
    if profile is None:
        raise Http404
    return {
        "unit_id": unit.pk,
        **{f: getattr(profile, f) for f in ProfileOut.model_fields if hasattr(profile, f) and f != "unit_id"},
        "characteristics": [t.name for t in profile.traits.all()],
    }
