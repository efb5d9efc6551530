"""The units of the tree and the operating agencies, declared for the list
toolkit (docs/lists.md)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.actions import Action
from core.access import Perm, under, unit_in_scope
from core.identity import mask_phone, normalise_text
from core.lists import Column, Export, ExportColumn, ListFilterSet, ListSpec, OrgUnitFilter, edit_column
from core.roles import Level
from orgs import selectors


class UnitFilter(ListFilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"), empty_label=_("all levels"))
    unit = OrgUnitFilter(label=_("Under"), method="below")

    def below(self, qs: QuerySet, _name: str, unit: Any) -> QuerySet:
        # The records here are the units themselves: the chosen one and its subtree.
        if not unit_in_scope(self.request.user, unit):
            return qs.none()
        return under(qs, unit, "")


def _search_units(qs: QuerySet, text: str) -> QuerySet:
    text = normalise_text(text)
    return qs.filter(Q(name__contains=text) | Q(code__startswith=text))


def _unit_name(u: Any) -> str:
    return format_html(
        '<span class="indent-{}"><a href="{}">{}</a></span>', u.depth, reverse("orgs:unit_detail", args=[u.pk]), u.name
    )


UNITS = ListSpec(
    key="orgs.units",
    queryset=selectors.units_with_counts,
    columns=[
        Column("name", _("Name"), value=_unit_name, sort=("path",)),
        Column("level", _("Level"), value="get_level_display", sort=("level", "path")),
        Column("code", _("Division code"), sort=("code",)),
        Column("agency", _("Operating agency"), value="agency.name", sort=("agency__name", "path")),
        Column("n_children", _("Child units"), sort=("n_children",), css="num"),
        Column("n_staff", _("Staff"), sort=("n_staff",), css="num"),
    ],
    default_sort="name",
    filterset=UnitFilter,
    search=_search_units,
    search_placeholder=_("Name or division code"),
    export=Export(
        columns=[
            ExportColumn("名称", "name"),
            ExportColumn("层级", "get_level_display"),
            ExportColumn("区划代码", "code"),
            ExportColumn("上级单位", "parent.name"),
            ExportColumn("运营机构", "agency.name"),
            ExportColumn("下级单位数", "n_children"),
            ExportColumn("人员数", "n_staff"),
        ],
        filename="units.xlsx",
        sheet="组织单位",
        action=Action.ORGUNIT_EXPORT,
    ),
    selectable=True,
    empty=_("No units are visible to you."),
)


def _agencies(user: Any) -> QuerySet:
    return selectors.agencies_visible(user).prefetch_related(
        Prefetch("stations", queryset=selectors.units_visible(user), to_attr="visible_stations")
    )


def _search_agencies(qs: QuerySet, text: str) -> QuerySet:
    text = normalise_text(text)
    return qs.filter(Q(name__contains=text) | Q(contact_person__contains=text) | Q(credit_code__startswith=text))


AGENCIES = ListSpec(
    key="orgs.agencies",
    queryset=_agencies,
    columns=[
        Column("name", _("Name"), sort=("name",)),
        Column("credit_code", _("Unified social credit code"), sort=("credit_code",)),
        Column("contact_person", _("Contact person")),
        Column("phone", _("Phone")),
        Column("stations", _("Stations"), value=lambda a: "、".join(s.name for s in a.visible_stations)),
        edit_column("orgs:agency_edit", Perm.ORG_MANAGE, _("Edit")),
    ],
    default_sort="name",
    search=_search_agencies,
    search_placeholder=_("Name, contact person or credit code"),
    export=Export(
        columns=[
            ExportColumn("机构名称", "name"),
            ExportColumn("统一社会信用代码", "credit_code"),
            ExportColumn("联系人", "contact_person"),
            ExportColumn("联系电话", "phone", mask=mask_phone),
            ExportColumn("运营站点", lambda a: "、".join(s.name for s in a.visible_stations)),
        ],
        filename="agencies.xlsx",
        sheet="运营机构",
        action=Action.AGENCY_EXPORT,
        action_unmasked=Action.AGENCY_EXPORT_UNMASKED,
    ),
    selectable=True,
    empty=_("None yet."),
)
