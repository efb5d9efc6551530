"""Factories for residents and households (other areas' tests use these)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import factory

from core.identity import pinyin_of
from people.models import CategoryType, Household, Person, PersonCategory
from people.search_keys import phone_key


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    address = factory.Sequence(lambda n: f"幸福路{n}号")


class PersonFactory(factory.django.DjangoModelFactory):
    """`PersonFactory(unit=tree.a1)`; the unit is required (a community)."""

    class Meta:
        model = Person

    name = factory.Faker("name", locale="zh_CN")
    name_pinyin = factory.LazyAttribute(lambda o: pinyin_of(o.name)[0])  # as the services store it
    name_initials = factory.LazyAttribute(lambda o: pinyin_of(o.name)[1])
    sex = "F"
    birth_date = dt.date(1950, 3, 1)
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    phone_tail = factory.LazyAttribute(lambda o: phone_key(o.phone))
    phone2_tail = factory.LazyAttribute(lambda o: phone_key(getattr(o, "phone2", "")))
    name_suffix1 = factory.LazyAttribute(lambda o: o.name[1:])
    name_suffix2 = factory.LazyAttribute(lambda o: o.name[2:])
    name_suffix3 = factory.LazyAttribute(lambda o: o.name[3:])


def person_with_category(unit: Any, code: str, *, start_date: dt.date | None = None, **kw: Any) -> Person:
    """A person in `unit` holding the category `code` (e.g. "elderly_alone") from `start_date`."""
    person = cast(Person, PersonFactory(unit=unit, **kw))
    PersonCategory.objects.create(
        person=person,
        category=CategoryType.objects.get(code=code),
        start_date=start_date or dt.date(2020, 1, 1),
    )
    return person
