"""One form per catalogue, drawn from the model's own fields: the labels,
lengths and choices are the model's; the choices of a field pointing at
another catalogue are its values in use (and, when editing, the one the
entry holds, so that saving untouched keeps it)."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from configuration.catalogues import Catalogue, model_field


class AliasesField(forms.CharField):
    """Other names, one list typed with 、 or commas between them."""

    def prepare_value(self, value: Any) -> Any:
        return "、".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return list(dict.fromkeys(w for w in re.split(r"[,，、;；\s]+", text) if w))


class EntryForm(forms.Form):
    def __init__(self, *args: Any, catalogue: Catalogue, entry: models.Model | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = catalogue.create_fields if entry is None else catalogue.edit_fields
        built = forms.fields_for_model(catalogue.model, fields=list(names))
        for name in names:
            field = built[name]
            field_of_model = model_field(catalogue.model, name)
            offered = catalogue.choices.get(name)
            if name == "aliases":
                field = AliasesField(
                    label=catalogue.field_label(name),
                    required=False,
                    help_text=_("Separate the names with 、, commas or spaces."),
                )
            elif offered is not None and isinstance(field, forms.ModelChoiceField):
                queryset = offered()
                held = getattr(entry, f"{name}_id", None) if entry is not None else None
                if held is not None:
                    queryset = (queryset | queryset.model._default_manager.filter(pk=held)).distinct()
                field.queryset = queryset
            elif offered is not None:
                choices = list(offered())
                current = getattr(entry, name, None) if entry is not None else None
                if current and current not in {c[0] for c in choices}:
                    choices.append((current, current))
                field = forms.ChoiceField(
                    label=catalogue.field_label(name), choices=choices, required=not field_of_model.blank
                )
            field.label = catalogue.field_label(name)
            if name == catalogue.code_field:
                field.help_text = _("Lower-case Latin letters, digits, - and _; it cannot change later.")
            self.fields[name] = cast(forms.Field, field)
