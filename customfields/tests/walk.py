"""URL-walk entries for customfields (see tests/leakwalk.py): a definition
of the district's. Definitions belong to the district and label inputs on
every station's forms, so it carries no CANARY; the walk's outsider (station
A's lead) may not manage them (403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.leakwalk import Walk


def _field(w: Walk) -> Any:
    def make() -> Any:
        from customfields.models import CustomField

        return CustomField.objects.create(
            district=w.tree.district, target="person", code="walk_field", label="巡查字段", kind="text"
        )

    return w.once("custom_field", make)


def kwargs() -> dict[str, Callable[[Walk], Any]]:
    return {"custom_field_id": lambda w: _field(w).pk}


def populators() -> list[Callable[[Walk], Any]]:
    return [_field]
