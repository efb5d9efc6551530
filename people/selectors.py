"""Scoped reads of residents and household files."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from core.access import scope
from people.models import Household, Person, PersonCategory


def persons_visible(user: Any) -> QuerySet[Person]:
    """Residents whose community lies in the user's subtree."""
    return scope(Person.objects.all(), user).select_related("unit", "household")


def households_visible(user: Any) -> QuerySet[Household]:
    """Household files whose community lies in the user's subtree."""
    return scope(Household.objects.all(), user).select_related("unit", "head")


def person_detail_qs(user: Any) -> QuerySet[Person]:
    return persons_visible(user).prefetch_related(
        Prefetch("categories", queryset=PersonCategory.objects.select_related("category")),
    )
