"""Factories for the matching area."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from grading.models import PersonGrade
from matching.models import MatchRun, Need, NeedType, OfferKind, ResourceOffer, RunStatus, ServiceTask
from people.models import Person
from people.tests.factories import PersonFactory
from volunteers.models import Volunteer
from volunteers.tests.factories import VolunteerFactory


def need_for(unit: Any, *, code: str = "escort", card: str | None = None, **kw: Any) -> Need:
    person: Person = kw.pop("person", None) or cast(
        Person, PersonFactory(unit=unit, latitude=Decimal("24.480000"), longitude=Decimal("118.090000"))
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
    vol: Volunteer = kw.pop("volunteer", None) or cast(
        Volunteer, VolunteerFactory(unit=unit, latitude=Decimal("24.481000"), longitude=Decimal("118.090000"))
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


def task_for(unit: Any, **kw: Any) -> ServiceTask:
    """A task assigned to a volunteer of `unit` for a new need there."""
    need = need_for(unit)
    offer = volunteer_offer(unit)
    return ServiceTask.objects.create(
        unit=unit,
        need=need,
        resource=offer,
        volunteer=offer.volunteer,
        due_date=kw.pop("due_date", today() + dt.timedelta(days=7)),
        **kw,
    )


def run_for(unit: Any, *, status: str = RunStatus.DONE) -> MatchRun:
    return MatchRun.objects.create(
        unit=unit, status=status, counts={"needs": 1, "resources": 1, "proposals": 0, "unmet": 1}
    )
