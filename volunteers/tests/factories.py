"""Factories for volunteers (other areas' tests use these)."""

from __future__ import annotations

import datetime as dt

import factory

from core.identity import pinyin_of
from core.models import ServiceDomain
from volunteers.models import Skill, Volunteer, VolunteerTeam


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"skill{n}")
    name = factory.Sequence(lambda n: f"技能{n}")


class VolunteerTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerTeam

    name = factory.Sequence(lambda n: f"志愿服务队{n}")


class VolunteerFactory(factory.django.DjangoModelFactory):
    """`VolunteerFactory(unit=tree.a1, availability={"mon": ["am"]})`; unit is required."""

    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    name = factory.Faker("name", locale="zh_CN")
    name_pinyin = factory.LazyAttribute(lambda o: pinyin_of(o.name)[0])  # as the services store it
    name_initials = factory.LazyAttribute(lambda o: pinyin_of(o.name)[1])
    sex = "F"
    birth_date = dt.date(1985, 6, 1)
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    availability = factory.LazyFunction(lambda: {"sat": ["am", "pm"]})
    consent_at = dt.date(2024, 1, 1)

    @factory.post_generation
    def skills(obj: Volunteer, create: bool, extracted: list[Skill] | None, **kwargs: object) -> None:
        if create and extracted:
            obj.skills.set(extracted)

    @factory.post_generation
    def domains(obj: Volunteer, create: bool, extracted: list[ServiceDomain] | None, **kwargs: object) -> None:
        if create and extracted:
            obj.domains.set(extracted)
