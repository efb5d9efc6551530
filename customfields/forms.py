"""Custom fields in the areas' forms (`add_custom_fields`, `custom_values`)
and the form of a definition itself.

A record's form gets one input per active definition that applies to its
unit, named by the definition's `form_name`; once the form is valid its
cleaned data holds `custom` ({code: value}) instead of those inputs, so the
form's data goes to the area's service as it is (`custom=` beside the rest),
and the service checks it with `customfields.values.clean_custom`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.widgets import DateInput
from customfields.models import CustomField, Kind, Target
from customfields.values import NUMBER_MAX, TEXT_MAX, definitions_for

CUSTOM = "custom"


def _yes_no_choices() -> list[tuple[str, Any]]:
    return [("", "—"), ("true", _("yes")), ("false", _("no"))]


def form_field(field: CustomField) -> forms.Field:
    """The Django form field of a definition (dates with the project's date
    widget, a choice and yes/no as selects)."""
    required = _("Fill in %(label)s.") % {"label": field.label}
    common: dict[str, Any] = {"label": field.label, "required": field.required, "help_text": field.help_text}
    if field.kind == Kind.NUMBER:
        message = _("Enter a number for %(label)s, e.g. 12 or 3.5.") % {"label": field.label}
        return forms.DecimalField(
            max_value=NUMBER_MAX - 1,
            min_value=-(NUMBER_MAX - 1),
            decimal_places=4,
            widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
            error_messages={
                "required": required,
                "invalid": message,
                "max_decimal_places": message,
                "max_value": message,
                "min_value": message,
            },
            **common,
        )
    if field.kind == Kind.DATE:
        return forms.DateField(
            widget=DateInput(),
            error_messages={
                "required": required,
                "invalid": _("Enter %(label)s as a date, e.g. 2026-03-01.") % {"label": field.label},
            },
            **common,
        )
    if field.kind == Kind.CHOICE:
        return forms.ChoiceField(
            choices=[("", "—"), *[(c, c) for c in field.choices]],
            error_messages={
                "required": required,
                "invalid_choice": _("Choose %(label)s from the list: %(choices)s.")
                % {"label": field.label, "choices": "、".join(field.choices)},
            },
            **common,
        )
    if field.kind == Kind.YESNO:
        return forms.TypedChoiceField(
            choices=_yes_no_choices(),
            coerce=lambda v: v == "true",
            empty_value=None,
            error_messages={
                "required": required,
                "invalid_choice": _("Answer %(label)s with yes or no.") % {"label": field.label},
            },
            **common,
        )
    return forms.CharField(max_length=TEXT_MAX, error_messages={"required": required}, **common)


def _initial(field: CustomField, value: Any) -> Any:
    if value is None:
        return None
    if field.kind == Kind.YESNO:
        return "true" if value is True else "false"
    if field.kind == Kind.DATE:
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            return None
    if field.kind == Kind.NUMBER:
        return Decimal(str(value))
    return value


def add_custom_fields(
    form: forms.BaseForm,
    *,
    target: str,
    unit: Any,
    values: Mapping[str, Any] | None = None,
    before: str = "",
) -> list[CustomField]:
    """Add the inputs of `target`'s active definitions that apply to `unit`
    to `form` (drawn after its own fields, or just before the field named
    `before`), filled from `values` (the record's `custom`, when editing).
    Returns the definitions added."""
    if target not in Target.values:
        raise ValueError(f"unknown custom-field target {target!r}")
    fields = definitions_for(target, unit, active_only=True)
    for f in fields:
        form.fields[f.form_name] = form_field(f)
        if values and f.code in values:
            form.initial[f.form_name] = _initial(f, values[f.code])
    if before in form.fields and fields:
        names = list(form.fields)
        added = [f.form_name for f in fields]
        own = [n for n in names if n not in added]
        at = own.index(before)
        form.order_fields([*own[:at], *added, *own[at:]])
    original = form.clean

    def clean() -> dict[str, Any] | None:
        data = original()
        data = form.cleaned_data if data is None else data
        custom: dict[str, Any] = {}
        for f in fields:
            if f.form_name in data:
                value = data.pop(f.form_name)
                custom[f.code] = value.isoformat() if isinstance(value, dt.date) else value
        data[CUSTOM] = custom
        return data

    form.clean = clean  # type: ignore[method-assign]
    form.custom_fields = fields  # type: ignore[attr-defined]
    return fields


def custom_values(form: forms.BaseForm) -> dict[str, Any]:
    """The custom values a valid form collected, by code (for the service)."""
    return dict(form.cleaned_data.get(CUSTOM, {}))


# ---------------------------------------------------------------- the definitions' own form


class ChoicesField(forms.CharField):
    """One choice per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class CustomFieldForm(forms.Form):
    target = forms.ChoiceField(label=pgettext_lazy("custom field target", "Records"), choices=Target.choices)
    label = forms.CharField(label=_("Label"), max_length=60)
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Small Latin letters, digits and _, e.g. lives_alone: names the value in exports and the API."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    choices = ChoicesField(
        label=_("Choices"), required=False, help_text=_("For a choice from a list: one choice per line.")
    )
    help_text = forms.CharField(label=_("Help text"), max_length=200, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)
    sensitive = forms.BooleanField(
        label=_("Sensitive"),
        required=False,
        help_text=_("Health, assistance or other sensitive information: masked in exports and the audit log."),
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=10)
    active = forms.BooleanField(
        label=_("In use"),
        required=False,
        initial=True,
        help_text=_("A field no longer in use leaves the forms; values already stored still show, marked retired."),
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["target"]  # a field stays on the records it was made for
        else:
            del self.fields["active"]
