"""Volunteer service records, hours and star levels (thin)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from api.params import Body, Id
from core.access import Perm, get_in_scope_or_404, require
from volunteering import selectors, services
from volunteers.selectors import volunteers_visible

router = Router(tags=["volunteering"])


class RecordOut(Schema):
    id: int
    volunteer_id: int
    activity_name: str
    date: dt.date
    place: str
    content: str
    hours: Decimal
    organiser: str
    person_in_charge: str
    late: bool
    pending: bool  # proposed by the volunteer's QR sign-in, not counted until staff confirm it


class RecordIn(Body):
    activity_name: str = Field(min_length=1, max_length=100)
    date: dt.date
    place: str = Field("", max_length=100)
    content: str = Field("", max_length=5000)
    hours: Decimal = Field(gt=0, le=24)
    organiser: str = Field("", max_length=100)
    person_in_charge: str = Field("", max_length=50)


class HoursOut(Schema):
    volunteer_id: int
    hours: Decimal
    stars: int
    hours_to_next_star: Decimal | None


def _volunteer(request: HttpRequest, volunteer_id: Id) -> Any:
    return get_in_scope_or_404(volunteers_visible(request.user), request.user, pk=volunteer_id)


@router.get("/volunteering/{volunteer_id}/records", response=list[RecordOut])
def list_records(request: HttpRequest, volunteer_id: Id) -> Any:
    require(request.user, Perm.VIEW)
    return list(_volunteer(request, volunteer_id).service_records.all())


@router.post("/volunteering/{volunteer_id}/records", response={201: RecordOut})
def create_record(request: HttpRequest, volunteer_id: Id, payload: RecordIn) -> Status:
    require(request.user, Perm.RECORD_EDIT)
    volunteer = _volunteer(request, volunteer_id)
    return Status(201, services.service_record_create(actor=request.user, volunteer=volunteer, **payload.dict()))


@router.get("/volunteering/{volunteer_id}/hours", response=HoursOut)
def hours(request: HttpRequest, volunteer_id: Id) -> Any:
    require(request.user, Perm.VIEW)
    volunteer = _volunteer(request, volunteer_id)
    total = selectors.volunteer_hours([volunteer.pk])[volunteer.pk]
    stars, to_next = selectors.next_star(total)
    return {"volunteer_id": volunteer.pk, "hours": total, "stars": stars, "hours_to_next_star": to_next}
