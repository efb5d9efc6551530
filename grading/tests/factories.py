"""Test helpers for the grading area."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.utils import timezone

from grading.category_keys import category_keys_refresh
from grading.models import CARD_RANK, Card, Instrument, InstrumentVersion, PersonGrade
from people.models import Person
from people.tests.factories import PersonFactory, person_with_category


def graded(
    unit: Any,
    card: str = Card.RED,
    *,
    next_due: dt.date | None = None,
    last_visit_on: dt.date | None = None,
    category: str | None = None,
    responsible: Any = None,
    **person_kw: Any,
) -> Any:
    """A person in `unit` with a current card and follow-up state set directly."""
    person = cast(
        Person, person_with_category(unit, category, **person_kw) if category else PersonFactory(unit=unit, **person_kw)
    )
    PersonGrade.objects.create(
        person=person,
        unit=unit,
        card=card,
        card_rank=CARD_RANK[Card(card)],
        reasons=["测试"],
        graded_at=timezone.now(),
        first_graded_on=timezone.localdate(),
        last_visit_on=last_visit_on,
        next_due=next_due or timezone.localdate(),
        responsible=responsible,
    )
    rekey(person)
    return person


def rekey(*persons: Any) -> None:
    """What the services do after changing categories: the cards remember them
    (grading/category_keys.py). For tests that write categories directly."""
    category_keys_refresh(person_ids=[p if isinstance(p, int) else p.pk for p in persons], day=timezone.localdate())


def version(code: str) -> InstrumentVersion:
    current = Instrument.objects.get(code=code).current_version()
    assert current is not None, f"{code} has no version"
    return current


def full_answers(v: InstrumentVersion, option: int = 0) -> dict[str, int]:
    """Answer every item with option index `option` (clamped to the item's options)."""
    return {i["code"]: min(option, len(i["options"]) - 1) for i in v.items()}
