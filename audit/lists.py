"""The audit log, declared for the list toolkit (docs/lists.md); its xlsx
export is how the log is archived (the export is itself audited)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from audit.actions import Action, action_label
from audit.display import change_rows
from audit.models import Outcome
from audit.selectors import events_visible
from core.lists import Column, Export, ExportColumn, ListFilterSet, ListSpec, OrgUnitFilter
from core.widgets import DateInput


class EventFilter(ListFilterSet):
    # One action by its code, or an area by a code prefix ("person.").
    action = django_filters.CharFilter(
        label=_("Action"),
        max_length=60,
        method="by_action",
        widget=forms.Select(choices=[("", _("Any action")), *Action.choices]),
    )
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=Outcome.choices, empty_label=_("Any outcome"))
    start = django_filters.DateFilter(field_name="at__date", lookup_expr="gte", label=_("From"), widget=DateInput())
    end = django_filters.DateFilter(field_name="at__date", lookup_expr="lte", label=_("Until"), widget=DateInput())
    unit = OrgUnitFilter()

    def by_action(self, qs: QuerySet, _name: str, value: str) -> QuerySet:
        value = value.strip()
        if value in Action.values:
            return qs.filter(action=value)
        return qs.filter(action__startswith=value) if value else qs


def _search(qs: QuerySet, text: str) -> QuerySet:
    return qs.filter(actor_label__icontains=text.strip()[:150])


def _when(e: Any) -> str:
    return f"{timezone.localtime(e.at):%Y-%m-%d %H:%M:%S}"


def _changes_text(e: Any) -> str:
    return "；".join(f"{label}: {text}" for label, text in change_rows(e))


def _changes_html(e: Any) -> str:
    rows = format_html_join("", "<div><strong>{}</strong>: {}</div>", change_rows(e))
    note = format_html('<div class="muted">{}</div>', e.note) if e.note else ""
    return format_html("{}{}", rows, note) if rows or note else ""


def _page_events(qs: QuerySet) -> QuerySet:
    # What the columns read: the chain of hashes stays unloaded.
    return qs.only(
        "at", "action", "outcome", "target_type", "target_label", "actor_label", "changes", "note", "ip", "unit__name"
    )


EVENTS = ListSpec(
    key="audit.events",
    queryset=events_visible,
    columns=[
        Column("at", _("Time"), value=_when, sort=("at",), css="when"),
        Column("action", _("Action"), value=lambda e: action_label(e.action), sort=("action",)),
        Column("target", _("Object"), value=lambda e: e.target_label or (e.unit.name if e.unit else "")),
        Column("actor", _("User"), value="actor_label", sort=("actor_label",)),
        Column("outcome", _("Outcome"), value="get_outcome_display", sort=("outcome",), css="outcome"),
        Column("changes", _("Changes"), value=_changes_html, css="changes"),
        Column("ip", _("IP address"), css="ip"),
    ],
    default_sort="-at",
    filterset=EventFilter,
    page_rows=_page_events,
    search=_search,
    search_placeholder=_("User"),
    export=Export(
        columns=[
            ExportColumn("时间", _when),
            ExportColumn("操作", lambda e: action_label(e.action)),
            ExportColumn("操作代码", "action"),
            ExportColumn("结果", "get_outcome_display"),
            ExportColumn("对象", "target_label"),
            ExportColumn("对象类型", "target_type"),
            ExportColumn("对象编号", "target_id"),
            ExportColumn("单位", "unit.name"),
            ExportColumn("用户", "actor_label"),
            ExportColumn("变更", _changes_text),
            ExportColumn("备注", "note"),
            ExportColumn("IP", "ip"),
            ExportColumn("序号", "seq"),
            ExportColumn("链哈希", "chain_hash"),
        ],
        filename="audit-log.xlsx",
        sheet="审计日志",
        action=Action.AUDIT_EXPORT,
    ),
    selectable=True,
    empty=_("No events."),
)
