"""What the URL walk (tests/leakwalk.py) needs from the configuration pages:
one entry of each catalogue whose keyword no other area names. Catalogues
are the district's (no station owns them): the walk's station lead may read
the lists but opens no entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _mapping(w: Any) -> Any:
    """A category → domain line: the one the data holds, or one made for the walk."""

    def make() -> Any:
        from core.models import ServiceDomain
        from grading.models import CategoryDomain
        from people.models import CategoryType

        found = CategoryDomain.objects.order_by("pk").first()
        if found is not None:
            return found
        category = CategoryType.objects.order_by("pk")[0]
        domain = ServiceDomain.objects.filter(active=True).order_by("order")[0]
        return CategoryDomain.objects.create(category=category, domain=domain)

    return w.once("category_domain", make)


def kwargs() -> dict[str, Callable[[Any], Any]]:
    from contracts.models import Kpi
    from core.models import ServiceDomain
    from people.models import CategoryGroup, CategoryType
    from volunteers.models import Skill

    return {
        "service_domain_id": lambda w: ServiceDomain.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
        "category_domain_id": lambda w: _mapping(w).pk,
        "skill_id": lambda w: Skill.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
        "category_type_id": lambda w: (
            CategoryType.objects.exclude(group=CategoryGroup.CUSTOM).order_by("pk").first().pk  # type: ignore[union-attr]
        ),
        "kpi_id": lambda w: Kpi.objects.order_by("pk").first().pk,  # type: ignore[union-attr]
    }


def populators() -> list[Callable[[Any], Any]]:
    return []
