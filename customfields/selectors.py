"""Scoped reads of the definitions: a district administrator sees their
district's fields (scope on the district). Which fields apply to a record
is customfields.values.definitions_for."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.access import scope
from customfields.models import CustomField


def fields_visible(user: Any) -> QuerySet[CustomField]:
    return scope(CustomField.objects.all(), user, "district").select_related("district")
