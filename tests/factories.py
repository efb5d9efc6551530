from __future__ import annotations

from typing import Any

import factory

from accounts.models import User
from core.roles import Level
from orgs.models import OrgUnit

PASSWORD = "Passw0rd-test"


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    level = Level.COMMUNITY
    name = factory.Sequence(lambda n: f"单位{n}")
    code = factory.Sequence(lambda n: f"350502{n % 400:03d}{n % 400:03d}")
    path = factory.LazyAttribute(lambda o: OrgUnit.path_for_code(o.code, o.level))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="zh_CN")
    role = "social_worker"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


def unit(level: str, parent: OrgUnit | None, name: str, code: str) -> OrgUnit:
    return OrgUnit.objects.create(
        level=level, parent=parent, name=name, code=code, path=OrgUnit.path_for_code(code, level)
    )


def build_tree() -> Any:
    from conftest import Tree

    d = unit(Level.DISTRICT, None, "测试区中心", "350502000000")
    a = unit(Level.STATION, d, "甲街道社工站", "350502001000")
    a1 = unit(Level.COMMUNITY, a, "甲一社区", "350502001001")
    a2 = unit(Level.COMMUNITY, a, "甲二社区", "350502001002")
    b = unit(Level.STATION, d, "乙街道社工站", "350502002000")
    b1 = unit(Level.COMMUNITY, b, "乙一社区", "350502002001")
    return Tree(district=d, station_a=a, a1=a1, a2=a2, station_b=b, b1=b1)
