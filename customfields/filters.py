"""Custom fields in the list toolkit: filters (core/lists.py) and export
columns (core/list_export.py), for the definitions of the user's district.

Filters use Django's JSON key look-ups, the same on SQLite and PostgreSQL:
a choice or yes/no matches exactly, text contains, numbers and dates by
range (dates are stored as ISO text, which sorts as the dates do)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.lists import ExportColumn, private_search
from core.widgets import DateInput
from customfields.models import CustomField, Kind
from customfields.values import SENSITIVE_MASK, definitions_for, text_of


def _filters_of(field: CustomField, json_field: str) -> dict[str, django_filters.Filter]:
    name, key = field.form_name, f"{json_field}__{field.code}"
    label = field.label
    if field.kind == Kind.CHOICE:
        return {
            name: django_filters.ChoiceFilter(
                field_name=key, label=label, choices=[(c, f"{label}：{c}") for c in field.choices], empty_label=label
            )
        }
    if field.kind == Kind.YESNO:

        def yes_no(qs: QuerySet, _name: str, value: str) -> QuerySet:
            return qs.filter(**{key: value == "true"}) if value in ("true", "false") else qs

        return {
            name: django_filters.ChoiceFilter(
                label=label,
                # a chosen option still says which field it is about
                choices=[("true", f"{label}：{_('yes')}"), ("false", f"{label}：{_('no')}")],
                empty_label=label,
                method=yes_no,
            )
        }
    if field.kind == Kind.TEXT:

        def contains(qs: QuerySet, _name: str, value: str) -> QuerySet:
            value = (value or "").strip()
            if not value or private_search(value):  # an ID or phone number stays out of addresses
                return qs
            return qs.filter(**{f"{key}__icontains": value})

        return {name: django_filters.CharFilter(label=label, method=contains)}
    if field.kind == Kind.NUMBER:

        def at_least(qs: QuerySet, _name: str, value: Any) -> QuerySet:
            return qs.filter(**{f"{key}__gte": float(value)}) if value is not None else qs

        def at_most(qs: QuerySet, _name: str, value: Any) -> QuerySet:
            return qs.filter(**{f"{key}__lte": float(value)}) if value is not None else qs

        return {
            f"{name}_min": django_filters.NumberFilter(label=_("%(label)s from") % {"label": label}, method=at_least),
            f"{name}_max": django_filters.NumberFilter(label=_("%(label)s up to") % {"label": label}, method=at_most),
        }

    def date_from(qs: QuerySet, _name: str, value: Any) -> QuerySet:
        return qs.filter(**{f"{key}__gte": value.isoformat()}) if value else qs

    def date_to(qs: QuerySet, _name: str, value: Any) -> QuerySet:
        return qs.filter(**{f"{key}__lte": value.isoformat()}) if value else qs

    return {
        f"{name}_from": django_filters.DateFilter(
            label=_("%(label)s from") % {"label": label}, widget=DateInput(), method=date_from
        ),
        f"{name}_to": django_filters.DateFilter(
            label=_("%(label)s up to") % {"label": label}, widget=DateInput(), method=date_to
        ),
    }


class CustomFieldFilters:
    """Mixin for a list's FilterSet (before ListFilterSet): adds a filter per
    active definition of `custom_target` in the user's district. The values
    live in the model's `custom_json` JSON field."""

    custom_target: str = ""
    custom_json: str = "custom"

    @property
    def form(self) -> Any:
        if not hasattr(self, "_form"):
            fs: Any = self
            user = getattr(fs.request, "user", None)
            for field in definitions_for(self.custom_target, getattr(user, "unit", None), active_only=True):
                for name, f in _filters_of(field, self.custom_json).items():
                    f.model = fs.queryset.model
                    f.parent = fs
                    fs.filters[name] = f
        return super().form  # type: ignore[misc]


def _cell(field: CustomField) -> Callable[[Any], Any]:
    def value(row: Any) -> Any:
        stored = (row.custom or {}).get(field.code)
        if field.kind in (Kind.NUMBER,) and stored is not None:
            return stored
        return text_of(field, stored)

    return value


def _masked(value: Any) -> str:
    return SENSITIVE_MASK if value not in (None, "") else ""


def export_columns(target: str) -> Callable[[Any], list[ExportColumn]]:
    """The export's columns of `target`'s definitions in the user's district,
    retired ones too (headed as retired); a sensitive one masked."""

    def columns(user: Any) -> list[ExportColumn]:
        out = []
        for field in definitions_for(target, getattr(user, "unit", None)):
            header = field.label if field.active else f"{field.label}（已停用）"
            out.append(ExportColumn(header, _cell(field), mask=_masked if field.sensitive else None))
        return out

    return columns


def filter_params(qs: QuerySet, *, target: str, user: Any, params: Any) -> QuerySet:
    """`qs` narrowed by the custom-field parameters in `params` (a QueryDict:
    `custom_<code>`, `custom_<code>_min` …, as the list pages take them): the
    API's lists filter by custom values the same way. Bad values are ignored."""

    class Filters(CustomFieldFilters, django_filters.FilterSet):
        custom_target = target

        class Meta:
            model = qs.model
            fields: list[str] = []

    class _Request:
        pass

    request = _Request()
    request.user = user  # type: ignore[attr-defined]
    return Filters(params, queryset=qs, request=request).qs
