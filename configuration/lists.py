"""The list of each catalogue, declared from CATALOGUES: the name, the
catalogue's own columns, how many records hold each entry (one grouped query
per model pointing at it, however long the list) and whether it is retired."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from configuration.catalogues import Catalogue, model_field, uses
from core.access import Perm
from core.lists import Column, ListSpec, pk_link


def display(entry: Any, name: str) -> str:
    """A field's value as the pages show it: a choice by its label, a linked
    entry by its name, yes / no, a list joined."""
    field = model_field(type(entry), name)
    value = getattr(entry, name)
    if field.choices:
        return str(getattr(entry, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "、".join(value) or "—"
    if value is None or value == "":
        return "—"
    return str(value)


def _decorate(catalogue: Catalogue) -> Any:
    def decorate(rows: list[Any]) -> None:
        counts = uses(catalogue, rows)
        for row in rows:
            row.uses = counts[row.pk]

    return decorate


def _column(catalogue: Catalogue, name: str) -> Column:
    field = model_field(catalogue.model, name)
    if isinstance(field, models.JSONField):
        sort: tuple[str, ...] = ()  # a list of words: nothing to sort by
    elif isinstance(field, models.ForeignKey) and name == "domain":
        sort = (f"{name}__order", name)
    else:
        sort = (name,)
    return Column(name, catalogue.field_label(name), value=lambda row: display(row, name), sort=sort)


def _title_column(catalogue: Catalogue) -> Column:
    if catalogue.name_field:
        return Column(catalogue.name_field, gettext_lazy("Name"), value=catalogue.label, sort=(catalogue.name_field,))
    return Column("category", catalogue.field_label("category"), value=catalogue.label, sort=("category__name",))


_SPECS: dict[str, ListSpec] = {}


def spec_of(catalogue: Catalogue) -> ListSpec:
    """The catalogue's list, declared once per process."""
    if catalogue.slug not in _SPECS:
        _SPECS[catalogue.slug] = _spec(catalogue)
    return _SPECS[catalogue.slug]


def _spec(catalogue: Catalogue) -> ListSpec:
    columns = [
        _title_column(catalogue),
        *(_column(catalogue, name) for name in catalogue.columns),
        Column("uses", gettext_lazy("Records holding it"), css="num"),
    ]
    if catalogue.retirable:
        columns.append(
            Column(
                "status",
                gettext_lazy("Status"),
                value=lambda row: _("in use") if catalogue.is_active(row) else _("retired"),
                sort=(catalogue.active_field,),
            )
        )
    columns.append(
        Column(
            "open",
            "",
            value=lambda row: _("History and changes"),
            link=pk_link(catalogue.url_name("entry")),
            perm=Perm.CONFIG_MANAGE,
        )
    )
    return ListSpec(
        key=f"configuration.{catalogue.slug}",
        queryset=lambda _user: catalogue.rows(),
        columns=columns,
        default_sort=_title_column(catalogue).key,
        decorate=_decorate(catalogue),
        empty=gettext_lazy("None yet."),
    )
