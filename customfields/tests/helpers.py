"""A field of each kind, and a value of each to type into a form."""

from __future__ import annotations

from typing import Any

from customfields.models import CustomField, Kind
from customfields.services import custom_field_create

# kind → (what a form sends, what is stored, what the detail page shows, the list filter's parameters)
SAMPLES: dict[str, tuple[str, Any, str, dict[str, str]]] = {
    Kind.TEXT: ("独居多年", "独居多年", "独居多年", {"": "独居"}),
    Kind.NUMBER: ("12.5", 12.5, "12.5", {"_min": "12", "_max": "13"}),
    Kind.DATE: ("2026-03-01", "2026-03-01", "2026-03-01", {"_from": "2026-02-01", "_to": "2026-03-01"}),
    Kind.CHOICE: ("乙", "乙", "乙", {"": "乙"}),
    Kind.YESNO: ("true", True, "是", {"": "true"}),
}
# A value of another record that the filter must leave out.
OTHER: dict[str, str] = {
    Kind.TEXT: "与子女同住",
    Kind.NUMBER: "30",
    Kind.DATE: "2025-01-01",
    Kind.CHOICE: "甲",
    Kind.YESNO: "false",
}


def define(admin: Any, target: str, kind: str, **kw: Any) -> CustomField:
    spec: dict[str, Any] = {
        "actor": admin,
        "district": admin.unit,
        "target": target,
        "code": f"f_{kind}",
        "label": f"自定义{kind}",
        "kind": kind,
        "choices": ["甲", "乙", "丙"] if kind == Kind.CHOICE else [],
    }
    spec.update(kw)
    return custom_field_create(**spec)
