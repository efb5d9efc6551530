"""Caring enterprises, community organisations and the resources ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from api.params import Body, Count, Id, Omittable, PageParams, paginate
from api.versions import versioned
from core.access import Perm, get_in_scope_or_404, require, unit_subtree
from partners import selectors, services
from partners.models import CommunityOrganisation, Enterprise, ResourceEntry

router = Router(tags=["registries"])


def _unit(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "unit_id" in data:
        data["unit"] = get_in_scope_or_404(unit_subtree(request.user), request.user, "id", pk=data.pop("unit_id"))
    return data


# ---------------------------------------------------------------- enterprises


class EnterpriseOfferOut(Schema):
    id: int
    kind: str
    category: str
    description: str
    quantity: Decimal
    quantity_unit: str
    value: Decimal


class EnterpriseOut(Schema):
    id: int
    unit_id: int
    name: str
    credit_code: str
    contact_person: str
    phone: str
    address: str
    is_active: bool
    offers: list[EnterpriseOfferOut]

    @staticmethod
    def resolve_offers(obj: Enterprise) -> list[Any]:
        return list(obj.offers.all())


class EnterprisePage(Schema):
    count: int
    page: int
    pages: int
    items: list[EnterpriseOut]


class EnterpriseIn(Body):
    unit_id: Id
    name: str = Field(min_length=1, max_length=100)
    credit_code: str = Field("", max_length=24)
    contact_person: str = Field("", max_length=50)
    phone: str = Field("", max_length=20)
    address: str = Field("", max_length=200)


class EnterprisePatch(Body):
    unit_id: Omittable[Id] = None
    name: Omittable[str] = Field(None, min_length=1, max_length=100)
    credit_code: Omittable[str] = Field(None, max_length=24)
    contact_person: Omittable[str] = Field(None, max_length=50)
    phone: Omittable[str] = Field(None, max_length=20)
    address: Omittable[str] = Field(None, max_length=200)
    is_active: Omittable[bool] = None


def _enterprises(request: HttpRequest) -> Any:
    return selectors.enterprises_visible(request.user).prefetch_related("offers").order_by("name", "id")


@router.get("/enterprises", response=EnterprisePage)
def list_enterprises(request: HttpRequest, paging: Query[PageParams], q: str = "") -> dict:
    require(request.user, Perm.VIEW)
    qs = _enterprises(request)
    if q:
        qs = qs.filter(name__contains=q)
    return paginate(qs, paging)


@router.get("/enterprises/{enterprise_id}", response=EnterpriseOut)
@versioned
def get_enterprise(request: HttpRequest, enterprise_id: Id) -> Enterprise:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(_enterprises(request), request.user, pk=enterprise_id)


@router.post("/enterprises", response={201: EnterpriseOut})
def create_enterprise(request: HttpRequest, payload: EnterpriseIn) -> tuple[int, Enterprise]:
    require(request.user, Perm.RECORD_EDIT)
    e = services.enterprise_create(actor=request.user, **_unit(request, payload.dict()))
    return 201, _enterprises(request).get(pk=e.pk)


@router.patch("/enterprises/{enterprise_id}", response=EnterpriseOut)
@versioned
def update_enterprise(request: HttpRequest, enterprise_id: Id, payload: EnterprisePatch) -> Enterprise:
    require(request.user, Perm.RECORD_EDIT)
    e = get_in_scope_or_404(selectors.enterprises_visible(request.user), request.user, pk=enterprise_id)
    services.enterprise_update(actor=request.user, enterprise=e, **_unit(request, payload.dict(exclude_unset=True)))
    return _enterprises(request).get(pk=e.pk)


# ---------------------------------------------------------------- organisations


class OrganisationOut(Schema):
    id: int
    unit_id: int
    name: str
    domain: str | None
    stage: str
    filing: str
    leader: str
    phone: str
    members: int
    party_members: int
    founded_on: dt.date | None
    description: str
    is_active: bool

    @staticmethod
    def resolve_domain(obj: CommunityOrganisation) -> str | None:
        return obj.domain.code if obj.domain else None


class OrganisationPage(Schema):
    count: int
    page: int
    pages: int
    items: list[OrganisationOut]


class OrganisationIn(Body):
    unit_id: Id
    name: str = Field(min_length=1, max_length=100)
    domain: str | None = Field(None, min_length=1, description="service domain code")
    stage: str = "incubating"
    filing: str = "none"
    leader: str = Field("", max_length=50)
    phone: str = Field("", max_length=20)
    members: Count = 0
    party_members: Count = 0
    founded_on: dt.date | None = None
    description: str = ""


class OrganisationPatch(Body):
    unit_id: Omittable[Id] = None
    name: Omittable[str] = Field(None, min_length=1, max_length=100)
    domain: str | None = Field(None, min_length=1, description="service domain code; null: none")
    stage: Omittable[str] = None
    filing: Omittable[str] = None
    leader: Omittable[str] = Field(None, max_length=50)
    phone: Omittable[str] = Field(None, max_length=20)
    members: Omittable[Count] = None
    party_members: Omittable[Count] = None
    founded_on: dt.date | None = None
    description: Omittable[str] = None
    is_active: Omittable[bool] = None


def _domain(data: dict[str, Any]) -> dict[str, Any]:
    from volunteers.selectors import domains_by_codes

    if data.get("domain"):
        data["domain"] = domains_by_codes([data["domain"]], field="domain")[0]
    return data


def _orgs(request: HttpRequest) -> Any:
    return selectors.organisations_visible(request.user).order_by("name", "id")


@router.get("/organisations", response=OrganisationPage)
def list_organisations(request: HttpRequest, paging: Query[PageParams]) -> dict:
    require(request.user, Perm.VIEW)
    return paginate(_orgs(request), paging)


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
@versioned
def get_organisation(request: HttpRequest, organisation_id: Id) -> CommunityOrganisation:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(_orgs(request), request.user, pk=organisation_id)


@router.post("/organisations", response={201: OrganisationOut})
def create_organisation(request: HttpRequest, payload: OrganisationIn) -> tuple[int, CommunityOrganisation]:
    require(request.user, Perm.RECORD_EDIT)
    o = services.organisation_create(actor=request.user, **_domain(_unit(request, payload.dict())))
    return 201, o


@router.patch("/organisations/{organisation_id}", response=OrganisationOut)
@versioned
def update_organisation(request: HttpRequest, organisation_id: Id, payload: OrganisationPatch) -> CommunityOrganisation:
    require(request.user, Perm.RECORD_EDIT)
    o = get_in_scope_or_404(_orgs(request), request.user, pk=organisation_id)
    data = _domain(_unit(request, payload.dict(exclude_unset=True)))
    return services.organisation_update(actor=request.user, organisation=o, **data)


# ---------------------------------------------------------------- ledger


class EntryOut(Schema):
    id: int
    unit_id: int
    direction: str
    kind: str
    date: dt.date
    donor: str
    enterprise_id: int | None
    recipient: str
    purpose: str
    description: str
    value: Decimal


class EntryPage(Schema):
    count: int
    page: int
    pages: int
    items: list[EntryOut]


class EntryIn(Body):
    unit_id: Id
    direction: str = Field(pattern=r"^(in|out)$")
    kind: str = Field(pattern=r"^(money|in_kind)$")
    date: dt.date
    donor: str = Field("", max_length=100)
    enterprise_id: Id | None = None
    recipient: str = Field("", max_length=100)
    purpose: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=200)
    value: Decimal = Field(max_digits=12, decimal_places=2)


class EntryPatch(Body):
    unit_id: Omittable[Id] = None
    direction: Omittable[str] = Field(None, pattern=r"^(in|out)$")
    kind: Omittable[str] = Field(None, pattern=r"^(money|in_kind)$")
    date: Omittable[dt.date] = None
    donor: Omittable[str] = Field(None, max_length=100)
    recipient: Omittable[str] = Field(None, max_length=100)
    purpose: Omittable[str] = Field(None, min_length=1, max_length=200)
    description: Omittable[str] = Field(None, max_length=200)
    value: Omittable[Decimal] = Field(None, max_digits=12, decimal_places=2)


class EntryFilters(Schema):
    start: dt.date | None = None
    end: dt.date | None = None
    direction: str = ""


def _enterprise(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    if "enterprise_id" in data:
        eid = data.pop("enterprise_id")
        data["enterprise"] = (
            get_in_scope_or_404(selectors.enterprises_visible(request.user), request.user, pk=eid) if eid else None
        )
    return data


@router.get("/resources", response=EntryPage)
def list_entries(request: HttpRequest, filters: Query[EntryFilters], paging: Query[PageParams]) -> dict:
    require(request.user, Perm.VIEW)
    qs = selectors.entries_visible(request.user)
    if filters.start:
        qs = qs.filter(date__gte=filters.start)
    if filters.end:
        qs = qs.filter(date__lte=filters.end)
    if filters.direction:
        qs = qs.filter(direction=filters.direction)
    return paginate(qs, paging)


@router.get("/resources/{ledger_entry_id}", response=EntryOut)
@versioned
def get_entry(request: HttpRequest, ledger_entry_id: Id) -> ResourceEntry:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(selectors.entries_visible(request.user), request.user, pk=ledger_entry_id)


@router.post("/resources", response={201: EntryOut})
def create_entry(request: HttpRequest, payload: EntryIn) -> tuple[int, ResourceEntry]:
    require(request.user, Perm.RECORD_EDIT)
    data = _enterprise(request, _unit(request, payload.dict()))
    return 201, services.entry_create(actor=request.user, **data)


@router.patch("/resources/{ledger_entry_id}", response=EntryOut)
@versioned
def update_entry(request: HttpRequest, ledger_entry_id: Id, payload: EntryPatch) -> ResourceEntry:
    require(request.user, Perm.RECORD_EDIT)
    e = get_in_scope_or_404(selectors.entries_visible(request.user), request.user, pk=ledger_entry_id)
    data = _enterprise(request, _unit(request, payload.dict(exclude_unset=True)))
    return services.entry_update(actor=request.user, entry=e, **data)
