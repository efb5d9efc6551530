"""The grading configuration lists (rule sets, assessment instruments) for
the list toolkit (docs/lists.md), and the bulk action that makes a rule set
the active one. Configuration is district-wide: every user who may view
sees it, only an administrator at the district changes it."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from core import bulk
from core.access import Perm
from core.identity import normalise_text
from core.lists import Column, ListFilterSet, ListSpec, pk_link
from core.roles import Level
from grading import services
from grading.models import GradingRule, GradingRuleSet, Instrument, InstrumentKind, InstrumentVersion
from people.models import CategoryType

# ---------------------------------------------------------------- rule sets


def _rule_sets(user: Any) -> QuerySet[GradingRuleSet]:
    return GradingRuleSet.objects.select_related("created_by").prefetch_related(
        Prefetch("rules", queryset=GradingRule.objects.select_related("instrument").order_by("order", "pk"))
    )


def _name_categories(sets: list[GradingRuleSet]) -> None:
    # One query for the page: rules store category codes, the page shows names.
    names = dict(CategoryType.objects.values_list("code", "name"))
    for rs in sets:
        for r in rs.rules.all():
            r.category_names = [names.get(c, c) for c in r.categories]


RULE_SETS = ListSpec(
    key="grading.rule_sets",
    queryset=_rule_sets,
    columns=[
        Column("number", _("Version"), value=lambda rs: f"v{rs.number}", sort=("number",), css="num"),
        Column("name", _("Name"), sort=("name",)),
        Column("active", _("Status"), template="grading/_ruleset_status_cell.html", sort=("is_active",)),
        Column("rules", _("Rules"), template="grading/_ruleset_rules_cell.html"),
        Column("created_at", _("Saved"), value=lambda rs: f"{rs.created_at:%Y-%m-%d %H:%M}", sort=("created_at",)),
        Column("created_by", _("By"), value="created_by"),
        Column("note", _("Note")),
    ],
    default_sort="-number",
    search=lambda qs, text: qs.filter(name__contains=normalise_text(text)),
    search_placeholder=_("Name of the rule set"),
    selectable=True,
    decorate=_name_categories,
    empty=_("No rule set yet."),
)


def _activate(*, actor: Any, records: QuerySet[GradingRuleSet], data: dict[str, Any]) -> str:
    # Rule sets are district-wide: only an administrator at the district switches them.
    if actor.unit is None or actor.unit.level != Level.DISTRICT:
        raise ValidationError(_("Only the district switches the grading rules."))
    chosen = list(records[:2])
    if len(chosen) != 1:
        raise ValidationError(_("Select exactly one rule set to make active."))
    rs = services.ruleset_activate(actor=actor, rule_set=chosen[0])
    return str(_("Rule set v%(n)s is active. Re-grade to apply it.") % {"n": rs.number})


bulk.register(
    RULE_SETS.key,
    bulk.BulkAction(key="activate", label=_("Make active"), perm=Perm.CONFIG_MANAGE, run=_activate),
)


# ---------------------------------------------------------------- instruments


def _instruments(user: Any) -> QuerySet[Instrument]:
    return Instrument.objects.prefetch_related(
        Prefetch("versions", queryset=InstrumentVersion.objects.order_by("-number"), to_attr="all_versions")
    )


class InstrumentFilter(ListFilterSet):
    kind = django_filters.ChoiceFilter(choices=InstrumentKind.choices, label=_("Kind"), empty_label=_("all kinds"))


INSTRUMENTS = ListSpec(
    key="grading.instruments",
    queryset=_instruments,
    columns=[
        Column("name", _("Name"), sort=("name",)),
        Column("code", _("Code"), sort=("code",)),
        Column("kind", _("Kind"), value="get_kind_display", sort=("kind",)),
        Column("current", _("Current version"), template="grading/_instrument_current_cell.html"),
        Column(
            "versions",
            _("Versions"),
            value=lambda inst: "，".join(
                f"v{v.number} {v.created_at:%Y-%m-%d}" + (f" ({v.note})" if v.note else "") for v in inst.all_versions
            ),
        ),
        Column(
            "publish",
            "",
            value=lambda inst: _("Edit and publish"),
            link=pk_link("configuration:instrument_edit"),
            perm=Perm.CONFIG_MANAGE,
        ),
    ],
    default_sort="code",
    filterset=InstrumentFilter,
    search=lambda qs, text: qs.filter(name__contains=normalise_text(text)),
    search_placeholder=_("Name of the instrument"),
    empty=_("No instrument yet."),
)
