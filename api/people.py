"""Residents and household files (一户一档). IDs are masked in every answer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from api.params import Body, Id, Omittable, PageParams, paginate
from api.versions import versioned
from core import identity
from core.access import Perm, get_in_scope_or_404, require, unit_subtree
from core.lists import private_search
from customfields.filters import filter_params
from people import lifecycle, selectors, services
from people.models import CategoryType, Household, Person

if TYPE_CHECKING:
    from accounts.models import User

router = Router(tags=["registries"])


def _grade(person: Person) -> Any:
    try:
        return person.grade
    except ObjectDoesNotExist:
        return None


class CategoryHeldOut(Schema):
    code: str
    name: str
    start_date: dt.date
    end_date: dt.date | None
    subtype: str
    grade: int | None


class PersonOut(Schema):
    id: int
    unit_id: int
    community: str
    name: str
    name_pinyin: str
    sex: str
    birth_date: dt.date
    age: int
    resident_id: str = Field(description="masked, e.g. 3505**********1234")
    phone: str
    phone2: str
    registered_address: str
    actual_address: str
    household_id: int | None
    relation: str
    is_active: bool
    status: str = Field(description="active, moved, deceased or ended")
    status_on: dt.date | None
    status_reason: str
    card: str | None = Field(None, description="red, blue or green; null when not graded yet")
    responsible_id: int | None = Field(None, description="the worker who follows the person up")
    categories: list[CategoryHeldOut]
    custom: dict[str, Any] = Field(description="the district's custom fields: {code: value}")

    @staticmethod
    def resolve_community(obj: Person) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_card(obj: Person) -> str | None:
        grade = _grade(obj)
        return grade.card if grade else None

    @staticmethod
    def resolve_responsible_id(obj: Person) -> int | None:
        grade = _grade(obj)
        return grade.responsible_id if grade else None

    @staticmethod
    def resolve_age(obj: Person) -> int:
        return obj.age_on(timezone.localdate())

    @staticmethod
    def resolve_resident_id(obj: Person) -> str:
        return identity.masked_id_of(obj)

    @staticmethod
    def resolve_categories(obj: Person) -> list[dict[str, Any]]:
        return [
            {
                "code": c.category.code,
                "name": c.category.name,
                "start_date": c.start_date,
                "end_date": c.end_date,
                "subtype": c.subtype,
                "grade": c.grade,
            }
            for c in obj.categories.all()
        ]


class PersonPage(Schema):
    count: int
    page: int
    pages: int
    items: list[PersonOut]


class PersonFilters(Schema):
    q: str = ""
    community_id: Id | None = None
    category: str = Field("", description="category or tag code, held today")
    age_band: str = Field("", description="0-13, 14-17, 18-59, 60-79, 80+")
    card: str = Field("", description="red, blue, green or none (not graded yet)")
    status: str = Field("", description="moved, deceased or ended: residents no longer served")


class PersonIn(Body):
    unit_id: Id
    name: str = Field(min_length=1, max_length=50)
    resident_id: str = Field("", max_length=24)
    sex: str = Field("", pattern=r"^(M|F)?$")
    birth_date: dt.date | None = None
    phone: str = Field("", max_length=20)
    phone2: str = Field("", max_length=20)
    registered_address: str = Field("", max_length=200)
    actual_address: str = Field("", max_length=200)
    household_id: Id | None = None
    relation: str = ""
    notes: str = ""
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    confirm_duplicate: bool = False
    custom: dict[str, Any] = Field(default_factory=dict, description="the district's custom fields: {code: value}")


class PersonPatch(Body):
    unit_id: Omittable[Id] = None
    name: Omittable[str] = Field(None, min_length=1, max_length=50)
    resident_id: Omittable[str] = Field(None, max_length=24)
    sex: Omittable[str] = Field(None, pattern=r"^(M|F)$")
    birth_date: dt.date | None = None
    phone: Omittable[str] = Field(None, max_length=20)
    phone2: Omittable[str] = Field(None, max_length=20)
    registered_address: Omittable[str] = Field(None, max_length=200)
    actual_address: Omittable[str] = Field(None, max_length=200)
    household_id: Id | None = None
    relation: Omittable[str] = None
    notes: Omittable[str] = None
    confirm_duplicate: bool = False
    custom: Omittable[dict[str, Any]] = Field(None, description="custom values to change: {code: value}")


def _unit(request: HttpRequest, unit_id: int) -> Any:
    return get_in_scope_or_404(unit_subtree(request.user), request.user, "id", pk=unit_id)


def _household(request: HttpRequest, household_id: int | None) -> Household | None:
    if household_id is None:
        return None
    return get_in_scope_or_404(selectors.households_visible(request.user), request.user, pk=household_id)


def _detail_qs(request: HttpRequest) -> Any:
    return selectors.person_detail_qs(request.user)


class PersonSearchIn(Body, PersonFilters, PageParams):
    pass


@router.get("/people", response=PersonPage)
def list_people(request: HttpRequest, filters: Query[PersonFilters], paging: Query[PageParams]) -> dict:
    """Search by ID number or whole phone number with POST /people/search: a query string lands in access logs."""
    if private_search(filters.q):
        raise ValidationError(
            {"q": _("Search by an ID number or a whole phone number with POST /people/search: an address is logged.")}
        )
    return _people_page(request, filters, paging)


@router.post("/people/search", response=PersonPage)
def search_people(request: HttpRequest, payload: PersonSearchIn) -> dict:
    """As GET /people, with the filters and the page in the body: the search term stays out of every address."""
    return _people_page(request, payload, payload)


def _people_page(request: HttpRequest, filters: PersonFilters, paging: PageParams) -> dict:
    require(request.user, Perm.VIEW)
    community = _unit(request, filters.community_id) if filters.community_id else None
    category = CategoryType.objects.filter(code=filters.category).first() if filters.category else None
    qs = selectors.filter_persons(
        _detail_qs(request),
        q=filters.q,
        community=community,
        category=category,
        age_band=filters.age_band,
        card=filters.card,
        status=filters.status,
    )
    if filters.category and category is None:
        qs = qs.none()
    # custom_<code>=… (…_min/_max, …_from/_to) as on the residents' list page
    qs = filter_params(qs, target="person", user=request.user, params=request.GET)
    return paginate(qs, paging)


@router.get("/people/{person_id}", response=PersonOut)
@versioned
def get_person(request: HttpRequest, person_id: Id) -> Person:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(_detail_qs(request), request.user, pk=person_id)


@router.post("/people", response={201: PersonOut})
def create_person(request: HttpRequest, payload: PersonIn) -> tuple[int, Person]:
    require(request.user, Perm.RECORD_EDIT)
    data = payload.dict()
    data["unit"] = _unit(request, data.pop("unit_id"))
    data["household"] = _household(request, data.pop("household_id"))
    person = services.person_create(actor=cast("User", request.user), **data)
    return 201, _detail_qs(request).get(pk=person.pk)


@router.patch("/people/{person_id}", response=PersonOut)
@versioned
def update_person(request: HttpRequest, person_id: Id, payload: PersonPatch) -> Person:
    require(request.user, Perm.RECORD_EDIT)
    person = get_in_scope_or_404(selectors.persons_visible(request.user), request.user, pk=person_id)
    data = payload.dict(exclude_unset=True)
    if "unit_id" in data:
        data["unit"] = _unit(request, data.pop("unit_id"))
    if "household_id" in data:
        data["household"] = _household(request, data.pop("household_id"))
    services.person_update(actor=cast("User", request.user), person=person, **data)
    return _detail_qs(request).get(pk=person.pk)


class StatusIn(Body):
    status: str = Field(description="moved, deceased or ended")
    on: dt.date | None = None
    reason: str = Field("", max_length=200)


class RestoreIn(Body):
    reason: str = Field("", max_length=200)


@router.post("/people/{person_id}/status", response=PersonOut)
def set_person_status(request: HttpRequest, person_id: Id, payload: StatusIn) -> Person:
    """Moved away, deceased or service ended: off the follow-up lists, kept on file."""
    require(request.user, Perm.RECORD_EDIT)
    person = get_in_scope_or_404(selectors.persons_visible(request.user), request.user, pk=person_id)
    lifecycle.person_status_set(actor=request.user, person=person, **payload.dict())
    return _detail_qs(request).get(pk=person.pk)


@router.post("/people/{person_id}/restore", response=PersonOut)
def restore_person(request: HttpRequest, person_id: Id, payload: RestoreIn) -> Person:
    require(request.user, Perm.RECORD_EDIT)
    person = get_in_scope_or_404(selectors.persons_visible(request.user), request.user, pk=person_id)
    lifecycle.person_restore(actor=request.user, person=person, reason=payload.reason)
    return _detail_qs(request).get(pk=person.pk)


class HouseholdOut(Schema):
    id: int
    unit_id: int
    address: str
    head_id: int | None
    notes: str
    member_ids: list[int]

    @staticmethod
    def resolve_member_ids(obj: Household) -> list[int]:
        return [m.pk for m in obj.members.all()]


class HouseholdPage(Schema):
    count: int
    page: int
    pages: int
    items: list[HouseholdOut]


class HouseholdIn(Body):
    unit_id: Id
    address: str = Field(min_length=1, max_length=200)
    notes: str = ""


class HouseholdPatch(Body):
    unit_id: Omittable[Id] = None
    address: Omittable[str] = Field(None, min_length=1, max_length=200)
    notes: Omittable[str] = None


def _households(request: HttpRequest) -> Any:
    return selectors.households_visible(request.user).prefetch_related("members").order_by("id")


@router.get("/households", response=HouseholdPage)
def list_households(request: HttpRequest, paging: Query[PageParams], q: str = "") -> dict:
    require(request.user, Perm.VIEW)
    qs = _households(request)
    if q:
        qs = qs.filter(address__contains=identity.normalise_text(q))
    return paginate(qs, paging)


@router.get("/households/{household_id}", response=HouseholdOut)
@versioned
def get_household(request: HttpRequest, household_id: Id) -> Household:
    require(request.user, Perm.VIEW)
    return get_in_scope_or_404(_households(request), request.user, pk=household_id)


@router.post("/households", response={201: HouseholdOut})
def create_household(request: HttpRequest, payload: HouseholdIn) -> tuple[int, Household]:
    require(request.user, Perm.RECORD_EDIT)
    data = payload.dict()
    data["unit"] = _unit(request, data.pop("unit_id"))
    hh = services.household_create(actor=cast("User", request.user), **data)
    return 201, _households(request).get(pk=hh.pk)


@router.patch("/households/{household_id}", response=HouseholdOut)
@versioned
def update_household(request: HttpRequest, household_id: Id, payload: HouseholdPatch) -> Household:
    require(request.user, Perm.RECORD_EDIT)
    hh = get_in_scope_or_404(selectors.households_visible(request.user), request.user, pk=household_id)
    data = payload.dict(exclude_unset=True)
    if "unit_id" in data:
        data["unit"] = _unit(request, data.pop("unit_id"))
    services.household_update(actor=cast("User", request.user), household=hh, **data)
    return _households(request).get(pk=hh.pk)
