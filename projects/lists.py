"""The list of service projects (docs/lists.md)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.identity import normalise_text
from core.lists import Column, ListFilterSet, ListSpec, OrgUnitFilter, pk_link
from projects.selectors import projects_visible


class ProjectFilter(ListFilterSet):
    brand = django_filters.ChoiceFilter(
        label=_("Brand project"),
        choices=[("yes", _("brand projects only"))],
        empty_label=_("all projects"),
        method=lambda qs, name, value: qs.filter(is_brand=True) if value == "yes" else qs,
    )
    unit = OrgUnitFilter()


def _search(qs: QuerySet[Any], text: str) -> QuerySet[Any]:
    return qs.filter(name__contains=normalise_text(text))


def _period(p: Any) -> str:
    return f"{p.starts_on:%Y-%m-%d} – {p.ends_on:%Y-%m-%d}"


PROJECTS = ListSpec(
    key="projects.projects",
    queryset=projects_visible,
    columns=[
        Column("name", _("Name"), sort=("name",), link=pk_link("projects:project_detail")),
        Column("unit", _("Unit"), value="unit.name", sort=("unit__path",)),
        Column("domain", _("Service domain"), value=lambda p: p.domain.name if p.domain else "—"),
        Column("starts_on", _("Period"), value=_period, sort=("starts_on",)),
        Column("is_brand", _("Brand project"), value=lambda p: _("Brand project") if p.is_brand else ""),
    ],
    default_sort="-starts_on",
    filterset=ProjectFilter,
    search=_search,
    search_placeholder=_("Project name"),
    empty=_("No service project yet."),
)
