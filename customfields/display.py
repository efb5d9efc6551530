"""Custom values on a record's detail page: every definition that applies
to the record's unit and has a value, retired ones marked as such."""

from __future__ import annotations

from typing import Any

from customfields.values import definitions_for, text_of


def display_custom(record: Any, target: str) -> list[dict[str, Any]]:
    """[{label, value, retired, help}] of the record's custom values, in the
    fields' order; an active field without a value shows as empty."""
    values = getattr(record, "custom", None) or {}
    out = []
    for field in definitions_for(target, record.unit):
        value = values.get(field.code)
        if not field.active and field.code not in values:
            continue
        out.append({"label": field.label, "value": text_of(field, value), "retired": not field.active})
    return out


def printed_custom(record: Any, target: str) -> list[tuple[str, str]]:
    """(label, text) of the record's stored custom values for a printed or
    exported record: a sensitive value masked, a retired field so labelled."""
    from customfields.values import SENSITIVE_MASK

    values = getattr(record, "custom", None) or {}
    out = []
    for field in definitions_for(target, record.unit):
        if field.code not in values:
            continue
        label = field.label if field.active else f"{field.label}（已停用）"
        out.append((label, SENSITIVE_MASK if field.sensitive else text_of(field, values[field.code])))
    return out
