"""Factories for the matching area."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from grading.models import PersonGrade
from matching.models import Need, NeedType, OfferKind, ResourceOffer
from people.tests.factories import PersonFactory
from volunteers.tests.factories import VolunteerFactory


def need_for(unit: Any, *, code: str = "escort", card: str | None = None, **kw: Any) -> Need:
    person = kw.pop("person", None) or PersonFactory(
        unit=unit, latitude=Decimal("24.480000"), longitude=Decimal("118.090000")
    )
    if card:
        PersonGrade.objects.update_or_create(
            person=person, defaults={"unit": person.unit, "card": card, "graded_at": timezone.now()}
        )
    t = NeedType.objects.get(code=code)
    return Need.objects.create(
        unit=person.unit,
        person=person,
        domain=t.domain,
        need_type=code,
        description=kw.pop("description", "帮助"),
        **kw,
    )


def volunteer_offer(unit: Any, *, code: str = "escort", capacity: int = 2, **kw: Any) -> ResourceOffer:
    vol = kw.pop("volunteer", None) or VolunteerFactory(
        unit=unit, latitude=Decimal("24.481000"), longitude=Decimal("118.090000")
    )
    offer = ResourceOffer.objects.create(
        unit=unit,
        kind=OfferKind.VOLUNTEER,
        name=kw.pop("name", f"{vol.name}的时间"),
        volunteer=vol,
        capacity=capacity,
        **kw,
    )
    offer.need_types.set([NeedType.objects.get(code=code)])
    return offer


def today() -> dt.date:
    return timezone.localdate()
