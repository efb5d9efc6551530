"""The definitions' list (docs/lists.md)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import Perm
from core.lists import Column, ListFilterSet, ListSpec, edit_column, pk_link
from customfields import selectors
from customfields.models import Target


class FieldFilter(ListFilterSet):
    target = django_filters.ChoiceFilter(
        choices=Target.choices, label=pgettext_lazy("custom field target", "Records"), empty_label=_("all records")
    )
    active = django_filters.ChoiceFilter(
        choices=[("1", _("in use")), ("0", _("retired"))],
        label=_("In use"),
        empty_label=_("in use and retired"),
        method=lambda qs, _name, value: qs.filter(active=value == "1") if value in ("0", "1") else qs,
    )


FIELDS = ListSpec(
    key="customfields.fields",
    queryset=selectors.fields_visible,
    columns=[
        Column(
            "label",
            _("Label"),
            sort=("label",),
            link=pk_link("customfields:field_edit"),
        ),
        Column(
            "target",
            pgettext_lazy("custom field target", "Records"),
            value="get_target_display",
            sort=("target", "order"),
        ),
        Column("code", _("Code"), css="mono", sort=("code",)),
        Column("kind", _("Kind"), value="get_kind_display", sort=("kind",)),
        Column("required", _("Required"), value=lambda f: _("yes") if f.required else ""),
        Column("sensitive", _("Sensitive"), value=lambda f: _("yes") if f.sensitive else ""),
        Column("active", _("In use"), value=lambda f: _("in use") if f.active else _("retired")),
        Column("order", _("Order"), sort=("order",), css="num"),
        edit_column("customfields:field_edit", Perm.CONFIG_MANAGE),
    ],
    default_sort="target",
    filterset=FieldFilter,
    empty=_("No custom field yet."),
)
