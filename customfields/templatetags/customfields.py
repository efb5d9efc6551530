from __future__ import annotations

from typing import Any

from django import template

from customfields.display import display_custom

register = template.Library()


@register.inclusion_tag("customfields/_values.html")
def custom_values(record: Any, target: str) -> dict[str, Any]:
    """`{% custom_values person "person" %}`: the record's custom fields as
    label/value rows (nothing when its district defines none)."""
    return {"rows": display_custom(record, target)}
