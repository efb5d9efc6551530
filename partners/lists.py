"""The partners' lists, declared for the list toolkit (docs/lists.md)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from audit.actions import Action
from core.access import Perm
from core.identity import mask_address, mask_phone, normalise_text
from core.lists import Column, Export, ExportColumn, ListFilterSet, ListSpec, OrgUnitFilter, edit_column, pk_link
from core.models import ServiceDomain
from core.widgets import DateInput
from partners import selectors
from partners.models import Direction, Filing, ResourceKind, Stage

# ---------------------------------------------------------------- enterprises


class EnterpriseFilter(ListFilterSet):
    unit = OrgUnitFilter()


def _search_enterprises(qs: QuerySet, text: str) -> QuerySet:
    text = normalise_text(text)
    return qs.filter(Q(name__contains=text) | Q(contact_person__contains=text) | Q(credit_code__icontains=text))


def _enterprise_url(e: Any) -> str:
    return reverse("partners:enterprise_detail", args=[e.pk])


ENTERPRISES = ListSpec(
    key="partners.enterprises",
    queryset=selectors.enterprises_with_offers,
    columns=[
        Column("name", _("Name"), sort=("name",), link=_enterprise_url),
        Column("unit", _("Unit"), value="unit.name", sort=("unit__path",)),
        Column("contact_person", _("Contact person")),
        Column("phone", _("Phone")),
        Column("n_offers", _("Offers"), sort=("n_offers",), css="num"),
        Column("offer_value", _("Value (RMB)"), value=lambda e: e.offer_value or 0, sort=("offer_value",), css="num"),
    ],
    default_sort="name",
    filterset=EnterpriseFilter,
    search=_search_enterprises,
    search_placeholder=_("Name, contact person or credit code"),
    export=Export(
        columns=[
            ExportColumn("企业名称", "name"),
            ExportColumn("统一社会信用代码", "credit_code"),
            ExportColumn("所属单位", "unit.name"),
            ExportColumn("联系人", "contact_person"),
            ExportColumn("联系电话", "phone", mask=mask_phone),
            ExportColumn("地址", "address", mask=mask_address),
            ExportColumn("提供项目数", "n_offers"),
            ExportColumn("价值（元）", lambda e: e.offer_value or 0),
        ],
        filename="enterprises.xlsx",
        sheet="爱心企业",
        action=Action.ENTERPRISE_EXPORT,
        action_unmasked=Action.ENTERPRISE_EXPORT_UNMASKED,
    ),
    selectable=True,
    empty=_("None yet."),
)


# ---------------------------------------------------------------- ledger

PERIOD_CHOICES = [("month", _("month")), ("quarter", _("quarter")), ("year", _("year"))]


class LedgerFilter(ListFilterSet):
    # Not a filter: how the totals above the entries are grouped.
    period = django_filters.ChoiceFilter(
        label=_("Totals per"), choices=PERIOD_CHOICES, empty_label=None, method=lambda qs, _name, _value: qs
    )
    start = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"), widget=DateInput())
    end = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("Until"), widget=DateInput())
    direction = django_filters.ChoiceFilter(label=_("In / out"), choices=Direction.choices, empty_label=_("in and out"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ResourceKind.choices, empty_label=_("all kinds"))
    unit = OrgUnitFilter()


def _search_entries(qs: QuerySet, text: str) -> QuerySet:
    text = normalise_text(text)
    return qs.filter(
        Q(purpose__contains=text)
        | Q(donor__contains=text)
        | Q(recipient__contains=text)
        | Q(description__contains=text)
    )


def _page_entries(qs: QuerySet) -> QuerySet:
    # What the columns read: the items and the enterprise stay unloaded.
    return (
        qs.select_related(None)
        .select_related("unit")
        .only("date", "direction", "kind", "donor", "recipient", "purpose", "value", "unit__name")
    )


LEDGER = ListSpec(
    key="partners.ledger",
    queryset=selectors.entries_visible,
    columns=[
        Column("date", _("Date"), sort=("date",)),
        Column("direction", _("In / out"), template="partners/_direction_cell.html", sort=("direction",)),
        Column("kind", _("Kind"), value="get_kind_display"),
        Column("donor", _("Donor"), sort=("donor",)),
        Column("recipient", _("Recipient")),
        Column("purpose", _("Purpose")),
        Column("value", _("Value (RMB)"), sort=("value",), css="num"),
        Column("unit", _("Unit"), value="unit.name", sort=("unit__path",)),
        edit_column("partners:entry_edit", Perm.RECORD_EDIT),
    ],
    default_sort="-date",
    filterset=LedgerFilter,
    page_rows=_page_entries,
    search=_search_entries,
    search_placeholder=_("Purpose, donor, recipient or items"),
    export=Export(
        columns=[
            ExportColumn("日期", "date"),
            ExportColumn("收支", "get_direction_display"),
            ExportColumn("类别", "get_kind_display"),
            ExportColumn("捐赠方", "donor"),
            ExportColumn("爱心企业", lambda e: e.enterprise.name if e.enterprise else ""),
            ExportColumn("受助方", "recipient"),
            ExportColumn("用途", "purpose"),
            ExportColumn("物品", "description"),
            ExportColumn("价值（元）", "value"),
            ExportColumn("所属单位", "unit.name"),
        ],
        filename="charitable-resources.xlsx",
        sheet="公益慈善资源台账",
        action=Action.RESOURCE_ENTRY_EXPORT,
    ),
    selectable=True,
    empty=_("None yet."),
)


# ---------------------------------------------------------------- community organisations


class OrganisationFilter(ListFilterSet):
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("Incubation stage"), empty_label=_("all stages"))
    filing = django_filters.ChoiceFilter(
        choices=Filing.choices, label=_("Filing / registration"), empty_label=_("any filing")
    )
    domain = django_filters.ModelChoiceFilter(
        label=_("Domain"),
        queryset=ServiceDomain.objects.filter(active=True).order_by("order", "code"),
        empty_label=_("all service domains"),
    )
    unit = OrgUnitFilter()


def _search_organisations(qs: QuerySet, text: str) -> QuerySet:
    text = normalise_text(text)
    return qs.filter(Q(name__contains=text) | Q(leader__contains=text))


ORGANISATIONS = ListSpec(
    key="partners.organisations",
    queryset=lambda user: selectors.organisations_visible(user).filter(is_active=True),
    columns=[
        Column(
            "name",
            _("Name"),
            sort=("name",),
            link=pk_link("partners:organisation_detail"),
        ),
        Column("unit", _("Unit"), value="unit.name", sort=("unit__path", "name")),
        Column("domain", _("Domain"), value="domain.name", sort=("domain__order",)),
        Column("stage", _("Incubation stage"), value="get_stage_display", sort=("stage",)),
        Column("filing", _("Filing / registration"), value="get_filing_display", sort=("filing",)),
        Column("leader", _("Leader")),
        Column("members", _("Members"), sort=("members",), css="num"),
        Column("party_members", _("Party members"), sort=("party_members",), css="num"),
        edit_column("partners:organisation_edit", Perm.RECORD_EDIT, _("Edit")),
    ],
    default_sort="name",
    filterset=OrganisationFilter,
    search=_search_organisations,
    search_placeholder=_("Name or leader"),
    export=Export(
        columns=[
            ExportColumn("组织名称", "name"),
            ExportColumn("所属单位", "unit.name"),
            ExportColumn("服务领域", "domain.name"),
            ExportColumn("孵化阶段", "get_stage_display"),
            ExportColumn("备案登记", "get_filing_display"),
            ExportColumn("负责人", "leader"),
            ExportColumn("联系电话", "phone", mask=mask_phone),
            ExportColumn("成员数", "members"),
            ExportColumn("其中党员", "party_members"),
            ExportColumn("成立日期", "founded_on"),
        ],
        filename="community-organisations.xlsx",
        sheet="社区社会组织",
        action=Action.ORGANISATION_EXPORT,
        action_unmasked=Action.ORGANISATION_EXPORT_UNMASKED,
    ),
    selectable=True,
    empty=_("None yet."),
)


def organisation_totals(result: Any) -> dict[str, Any]:
    """Organisations, members and Party members over the filtered rows (all pages)."""
    agg = result.qs.order_by().aggregate(n=Count("id"), members=Sum("members"), party=Sum("party_members"))
    return {"totals": {k: v or 0 for k, v in agg.items()}}
