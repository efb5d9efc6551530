"""一分三卡 API: assessments, cards (current and history), visits and the
follow-up list. Thin: schemas plus calls to grading selectors and services."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Query, Router, Schema
from pydantic import Field

from api.params import Body, Count, Id, WindowParams, in_window
from core import concurrency
from core.access import Perm, get_in_scope_or_404, require
from customfields.filters import filter_params
from grading import selectors, selectors_config, services
from grading.models import VISIT_NEED_NOTES_MAX
from people.selectors import persons_visible

router = Router(tags=["grading"])


class CardOut(Schema):
    person_id: int
    person_name: str = Field(alias="person.name")
    unit_id: int
    card: str
    reasons: list[str]
    overridden: bool
    graded_at: dt.datetime
    last_visit_on: dt.date | None
    next_due: dt.date | None
    responsible_id: int | None


class CardChangeOut(Schema):
    id: int
    from_card: str
    to_card: str
    changed_at: dt.datetime
    changed_by_id: int | None
    why: str
    reasons: list[str]
    scores: dict[str, Any]
    overridden: bool


class CardDetailOut(Schema):
    current: CardOut | None
    history: list[CardChangeOut]


class OverrideIn(Body):
    card: str
    reason: str = Field("", max_length=500)


class FollowUpOut(CardOut):
    overdue: bool
    escalation: int = Field(description="0 the worker, 1 escalated to the station lead, 2 to the district")


class AssessmentOut(Schema):
    id: int
    person_id: int
    instrument: str = Field(alias="version.instrument.code")
    version: int = Field(alias="version.number")
    assessed_on: dt.date
    dimension_scores: dict[str, int]
    total: int
    level: int
    level_name: str


class AssessmentIn(Body):
    person_id: Id
    instrument: str
    answers: dict[str, Count]
    assessed_on: dt.date
    notes: str = ""


class CompanionOut(Schema):
    kind: str
    name: str
    user_id: int | None
    volunteer_id: int | None
    organisation_id: int | None


class VisitOut(Schema):
    id: int
    person_id: int
    unit_id: int
    mode: str
    visited_on: dt.date
    visitor_name: str
    findings: str
    needs: str
    suggested_card: str
    need_ids: list[int]
    duration_minutes: int | None
    location_consent: bool
    latitude: float | None
    longitude: float | None
    location_accuracy: int | None
    signed: bool = Field(description="Whether the resident or guardian signed")
    signed_by: str
    signer_name: str
    photo_ids: list[int] = Field(description="The visit's photos (each at grading:visit_photo on the site)")
    companions: list[CompanionOut]
    custom: dict[str, Any] = Field(description="the district's custom fields on visits: {code: value}")

    @staticmethod
    def resolve_need_ids(obj: Any) -> list[int]:
        return sorted(n.pk for n in obj.needs_found.all())

    @staticmethod
    def resolve_signed(obj: Any) -> bool:
        return bool(obj.signature)

    @staticmethod
    def resolve_photo_ids(obj: Any) -> list[int]:
        return [p.pk for p in obj.photos.all()]

    @staticmethod
    def resolve_companions(obj: Any) -> list[Any]:
        return list(obj.companions.all())


class VisitIn(Body):
    person_id: Id
    mode: str = "home"
    visited_on: dt.date
    visitor_name: str = Field("", max_length=50)
    findings: str = Field("", max_length=2000)
    need_type_ids: list[Id] = Field(default_factory=list, description="Catalogue need types found (ids)")
    needs: str = Field("", max_length=VISIT_NEED_NOTES_MAX, description="Notes on the needs found")
    suggested_card: str = ""
    # bounded here; the service holds the district's own limit (LINLI_VISIT_MAX_MINUTES)
    duration_minutes: int | None = Field(None, ge=0, le=24 * 60, description="How long the visit took (minutes)")
    location_consent: bool = Field(False, description="The resident agreed to record the location")
    latitude: float | None = None
    longitude: float | None = None
    location_accuracy: int | None = Field(None, ge=0, le=100_000, description="Metres")
    signature: str = Field("", max_length=800_000, description="The drawn signature as a data:image/png;base64 URL")
    signed_by: str = Field("", description="resident or guardian")
    signer_name: str = Field("", max_length=50)
    companion_user_ids: list[Id] = Field(default_factory=list, description="Staff who came along")
    companion_volunteer_ids: list[Id] = Field(default_factory=list, description="Volunteers who came along")
    companion_organisation_ids: list[Id] = Field(default_factory=list, description="Organisations that came along")
    companion_others: list[str] = Field(default_factory=list, description="Names of others who came along")
    custom: dict[str, Any] = Field(default_factory=dict, description="the district's custom fields: {code: value}")


def _person(request: HttpRequest, person_id: Id) -> Any:
    return get_in_scope_or_404(persons_visible(request.user), request.user, pk=person_id)


@router.get("/grading/followups", response=list[FollowUpOut])
def list_followups(request: HttpRequest, window: Query[WindowParams], show: str = "mine") -> list:
    """The caller's follow-up list, most urgent first (as on the page)."""
    require(request.user, Perm.VIEW)
    return in_window(selectors.followups(request.user, show=show), window)


@router.get("/grading/cards", response=list[CardOut])
def list_cards(request: HttpRequest, window: Query[WindowParams], card: str = "") -> list:
    require(request.user, Perm.VIEW)
    qs = selectors.grades_visible(request.user).order_by("card_rank", "person_id")
    if card:
        qs = qs.filter(card=card)
    return in_window(qs, window)


@router.get("/grading/cards/{person_id}", response=CardDetailOut)
def get_card(request: HttpRequest, person_id: Id) -> dict:
    require(request.user, Perm.VIEW)
    person = _person(request, person_id)
    return {
        "current": selectors.grades_visible(request.user).filter(person=person).first(),
        "history": list(selectors.card_changes_visible(request.user).filter(person=person)),
    }


@router.post("/grading/cards/{person_id}/grade", response=CardOut)
def grade_person(request: HttpRequest, person_id: Id) -> Any:
    """Grade one person with the active rules."""
    return services.person_grade(actor=request.user, person=_person(request, person_id))


@router.post("/grading/cards/{person_id}/override", response=CardOut)
def override_card(request: HttpRequest, person_id: Id, payload: OverrideIn) -> Any:
    return services.card_override(
        actor=request.user, person=_person(request, person_id), card=payload.card, reason=payload.reason
    )


@router.get("/grading/assessments", response=list[AssessmentOut])
def list_assessments(request: HttpRequest, window: Query[WindowParams], person_id: Id | None = None) -> list:
    require(request.user, Perm.VIEW)
    qs = selectors.assessments_visible(request.user)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    return in_window(qs, window)


@router.post("/grading/assessments", response={201: AssessmentOut})
def create_assessment(request: HttpRequest, payload: AssessmentIn) -> tuple[int, Any]:
    require(request.user, Perm.RECORD_EDIT)
    person = _person(request, payload.person_id)
    version = selectors_config.instrument_current(payload.instrument)
    return 201, services.assessment_record(
        actor=request.user,
        person=person,
        version=version,
        answers=payload.answers,
        assessed_on=payload.assessed_on,
        notes=payload.notes,
    )


@router.get("/grading/visits", response=list[VisitOut])
def list_visits(
    request: HttpRequest,
    window: Query[WindowParams],
    person_id: Id | None = None,
    since: dt.date | None = None,
) -> list:
    require(request.user, Perm.VIEW)
    qs = selectors.visits_visible(request.user)
    if person_id is not None:
        qs = qs.filter(person_id=person_id)
    if since is not None:
        qs = qs.filter(visited_on__gte=since)
    qs = filter_params(qs, target="visit", user=request.user, params=request.GET)  # custom_<code>=…
    return in_window(qs.prefetch_related("needs_found", "photos", "companions"), window)


@router.post("/grading/visits", response={200: VisitOut, 201: VisitOut})
def create_visit(
    request: HttpRequest,
    payload: VisitIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description="A UUID the client made for this visit: sent again (a retry, an offline queue), "
        "it makes no second visit and answers 200 with the first one",
    ),
) -> tuple[int, Any]:
    require(request.user, Perm.RECORD_EDIT)
    person = _person(request, payload.person_id)
    token = None
    if idempotency_key is not None:
        try:
            token = str(uuid.UUID(idempotency_key))
        except ValueError:
            raise ValidationError({"Idempotency-Key": _("Send a UUID as the idempotency key.")}) from None
    with transaction.atomic():
        earlier = concurrency.take_once(token, user_id=request.user.pk or 0, path=request.path) if token else None
        if earlier is not None:
            visit = concurrency.earlier_result(earlier) if earlier.user_id == request.user.pk else None
            if visit is None:
                raise ValidationError({"Idempotency-Key": _("This idempotency key was already used.")})
            return 200, visit
        visit = services.visit_log(
            actor=request.user,
            person=person,
            mode=payload.mode,
            visited_on=payload.visited_on,
            visitor_name=payload.visitor_name,
            findings=payload.findings,
            need_type_ids=payload.need_type_ids,
            needs=payload.needs,
            suggested_card=payload.suggested_card,
            duration_minutes=payload.duration_minutes,
            location_consent=payload.location_consent,
            latitude=payload.latitude,
            longitude=payload.longitude,
            location_accuracy=payload.location_accuracy,
            signature=payload.signature,
            signed_by=payload.signed_by,
            signer_name=payload.signer_name,
            companion_user_ids=payload.companion_user_ids,
            companion_volunteer_ids=payload.companion_volunteer_ids,
            companion_organisation_ids=payload.companion_organisation_ids,
            companion_others=payload.companion_others,
            custom=payload.custom,
        )
        if token:
            concurrency.record_result(token, visit, request.path)
    return 201, visit
