"""Party organisations and co-building agreements, declared for the list toolkit."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.access import Perm
from core.identity import normalise_text
from core.lists import Column, ListFilterSet, ListSpec, OrgUnitFilter, edit_column, pk_link
from partybuilding import selectors
from partybuilding.models import OrganisationKind, PartnerKind


class OrganisationFilter(ListFilterSet):
    unit = OrgUnitFilter()
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("Kind"), empty_label=_("all kinds"))


def _search_organisations(qs: QuerySet, text: str) -> QuerySet:
    text = normalise_text(text)
    return qs.filter(Q(name__contains=text) | Q(secretary__contains=text))


ORGANISATIONS = ListSpec(
    key="partybuilding.organisations",
    queryset=selectors.organisations_visible,
    columns=[
        Column("name", _("Name"), sort=("name",)),
        Column("kind", _("Kind"), value="get_kind_display", sort=("kind", "name")),
        Column("unit", _("Unit"), value="unit.name", sort=("unit__path", "name")),
        Column("level", _("Level"), value="unit.get_level_display", sort=("unit__level", "unit__path")),
        Column("secretary", _("Secretary")),
        Column("members", _("Party members"), sort=("members",), css="num"),
        edit_column("partybuilding:organisation_edit", Perm.RECORD_EDIT, _("Edit")),
    ],
    default_sort="unit",
    filterset=OrganisationFilter,
    search=_search_organisations,
    search_placeholder=_("Name or secretary"),
    empty=_("No Party organisations recorded yet."),
)


class AgreementFilter(ListFilterSet):
    unit = OrgUnitFilter()
    partner_kind = django_filters.ChoiceFilter(
        choices=PartnerKind.choices, label=_("Kind of unit"), empty_label=_("all kinds")
    )
    overdue = django_filters.ChoiceFilter(
        choices=[("1", _("With overdue commitments"))],
        label=_("Commitments"),
        empty_label=_("all agreements"),
        method="with_overdue",
    )

    def with_overdue(self, qs: QuerySet, _name: str, _value: str) -> QuerySet:
        return qs.filter(n_overdue__gt=0)


def _search_agreements(qs: QuerySet, text: str) -> QuerySet:
    return qs.filter(partner__contains=normalise_text(text))


def _page_agreements(qs: QuerySet) -> QuerySet:
    # What the columns read: the partner's own file stays unloaded.
    return (
        qs.select_related(None)
        .select_related("unit")
        .only("partner", "partner_kind", "signed_on", "ends_on", "unit__name")
    )


AGREEMENTS = ListSpec(
    key="partybuilding.agreements",
    queryset=selectors.agreements_visible,
    columns=[
        Column("partner", _("Co-building unit"), sort=("partner",), link=pk_link("partybuilding:agreement_detail")),
        Column("partner_kind", _("Kind of unit"), value="get_partner_kind_display", sort=("partner_kind", "partner")),
        Column("unit", _("Unit"), value="unit.name", sort=("unit__path", "partner")),
        Column("signed_on", _("Signed on"), sort=("signed_on",)),
        Column("ends_on", _("Period to"), sort=("ends_on",)),
        Column("n_commitments", _("Commitments"), sort=("n_commitments",), css="num"),
        Column("n_delivered", _("Delivered"), sort=("n_delivered",), css="num"),
        Column("n_overdue", _("Overdue"), sort=("n_overdue",), css="num"),
    ],
    default_sort="-signed_on",
    filterset=AgreementFilter,
    page_rows=_page_agreements,
    search=_search_agreements,
    search_placeholder=_("Co-building unit"),
    empty=_("No co-building agreements recorded yet."),
)
