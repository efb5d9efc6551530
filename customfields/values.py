"""The one rule for custom values: which definitions apply to a record's
unit, how a value sent by a form or the API is checked and stored, and how a
stored value reads. Every area's service calls `clean_custom` with what was
sent; forms and the API report its errors under each field's `form_name`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.access import at_or_above
from customfields.models import CustomField, Kind

TEXT_MAX = 500
NUMBER_MAX = Decimal("1e12")
SENSITIVE_MASK = "***"


def definitions_for(target: str, unit: Any, *, active_only: bool = False) -> list[CustomField]:
    """The definitions of `target` that apply to records of `unit`, in order;
    retired ones too unless `active_only`. One query."""
    if unit is None:
        return []
    # a field applies to its district's subtree: the districts at or above the unit
    qs = CustomField.objects.filter(at_or_above(unit, "district"), target=target)
    if active_only:
        qs = qs.filter(active=True)
    return list(qs.order_by("order", "pk"))


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise ValueError
    number = Decimal(str(value).strip().replace(",", ""))
    if not number.is_finite() or abs(number) >= NUMBER_MAX:
        raise ValueError
    return int(number) if number == number.to_integral_value() else float(number)


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        raise ValueError
    if isinstance(value, dt.date):
        return value.isoformat()
    return dt.date.fromisoformat(str(value).strip()).isoformat()


def _yesno(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "是"):
        return True
    if text in ("false", "0", "no", "否"):
        return False
    raise ValueError


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def convert(field: CustomField, value: Any) -> Any:
    """The value to store, or ValidationError with a message naming the field."""
    label = field.label
    if field.kind == Kind.TEXT:
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ValidationError(_("Write %(label)s as text.") % {"label": label})
        text = str(value).strip()
        if len(text) > TEXT_MAX:
            raise ValidationError(_("Keep %(label)s within %(n)s characters.") % {"label": label, "n": TEXT_MAX})
        return text
    try:
        if field.kind == Kind.NUMBER:
            return _number(value)
        if field.kind == Kind.DATE:
            return _date(value)
        if field.kind == Kind.YESNO:
            return _yesno(value)
    except (ValueError, TypeError, InvalidOperation):
        messages = {
            Kind.NUMBER: _("Enter a number for %(label)s, e.g. 12 or 3.5."),
            Kind.DATE: _("Enter %(label)s as a date, e.g. 2026-03-01."),
            Kind.YESNO: _("Answer %(label)s with yes or no."),
        }
        raise ValidationError(messages[Kind(field.kind)] % {"label": label}) from None
    text = str(value).strip()
    if text not in field.choices:
        raise ValidationError(
            _("Choose %(label)s from the list: %(choices)s.") % {"label": label, "choices": "、".join(field.choices)}
        )
    return text


def clean_custom(
    *, target: str, unit: Any, values: Mapping[str, Any], before: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The custom values to store on a record of `unit`: `values` (by code)
    over what the record held (`before`), each active field's value checked
    and required ones present; a retired field's stored value is kept as it
    was. Raises ValidationError({form_name: message}) and changes nothing."""
    if not isinstance(values, Mapping):
        raise ValidationError({"custom": _("Send the custom fields as an object of code and value.")})
    fields = definitions_for(target, unit)
    by_code = {f.code: f for f in fields}
    before = dict(before or {})
    errors: dict[str, str] = {}
    for code in values:
        f = by_code.get(code)
        if f is None:
            errors["custom"] = _("There is no custom field %(code)s for these records.") % {"code": code}
        elif not f.active and values[code] != before.get(code):
            errors[f.form_name] = _("%(label)s is no longer in use and cannot be changed.") % {"label": f.label}
    merged = {**before, **values}
    out: dict[str, Any] = {}
    for f in fields:
        value = merged.get(f.code)
        if not f.active:
            if f.code in before:
                out[f.code] = before[f.code]
            continue
        if _empty(value):
            if f.required:
                errors[f.form_name] = _("Fill in %(label)s.") % {"label": f.label}
            continue
        try:
            out[f.code] = convert(f, value)
        except ValidationError as exc:
            errors[f.form_name] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    return out


def text_of(field: CustomField, value: Any) -> str:
    """How a stored value reads on a page or in a file."""
    if value is None or value == "":
        return ""
    if field.kind == Kind.YESNO:
        return _("yes") if value is True else _("no")
    return str(value)


def audit_values(fields: Iterable[CustomField], values: Mapping[str, Any]) -> dict[str, Any]:
    """The record's custom values for its audit diff, keyed `custom.<code>`; a
    sensitive field's value is masked (the log keeps that it was set)."""
    out: dict[str, Any] = {}
    for f in fields:
        if f.code in values:
            out[f"custom.{f.code}"] = SENSITIVE_MASK if f.sensitive else values[f.code]
    return out


def audit_snapshot(target: str, unit: Any, values: Mapping[str, Any]) -> dict[str, Any]:
    """`audit_values` of the definitions that apply to `unit` (one query, none
    when the record holds no custom value)."""
    if not values:
        return {}
    return audit_values(definitions_for(target, unit), values)
