"""Scheduled reports and what they sent, declared for the list toolkit."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.access import Perm
from core.lists import Column, ListFilterSet, ListSpec, OrgUnitFilter, edit_column
from reports import schedules


class ScheduleFilter(ListFilterSet):
    unit = OrgUnitFilter()


def _search(qs: QuerySet, text: str) -> QuerySet:
    return qs.filter(Q(name__contains=text.strip()) | Q(unit__name__contains=text.strip()))


def _recipients(schedule: Any) -> str:
    return "、".join(str(r.user) if r.user else (r.label or r.email) for r in schedule.recipients.all())


SCHEDULES = ListSpec(
    key="reports.schedules",
    queryset=schedules.schedules_visible,
    columns=[
        Column("name", _("Name"), sort=("name",)),
        Column("unit", _("Report of"), value="unit.name", sort=("unit__path",)),
        Column("period_kind", _("Period"), value="get_period_kind_display", sort=("period_kind", "name")),
        Column("fmt", _("Format"), value="get_fmt_display"),
        Column("send_day", _("Send on day"), css="num"),
        Column("recipients", _("Sent to"), value=_recipients),
        Column("active", _("Active"), value=lambda s: _("yes") if s.active else _("no")),
        edit_column("reports:schedule_edit", Perm.CONFIG_MANAGE),
    ],
    default_sort="name",
    filterset=ScheduleFilter,
    search=_search,
    search_placeholder=_("Name or unit"),
    empty=_("No scheduled reports yet."),
)


class SendFilter(ListFilterSet):
    unit = OrgUnitFilter()


SENDS = ListSpec(
    key="reports.sends",
    queryset=schedules.sends_visible,
    columns=[
        Column("sent_at", _("Sent at"), sort=("sent_at",)),
        Column("schedule", _("Scheduled report"), value="run.schedule.name", sort=("run__schedule__name", "sent_at")),
        Column("period", _("Period starts"), value="run.period_start", sort=("run__period_start",)),
        Column("who", _("Sent to")),
        Column("status", _("Delivery"), value=lambda s: s.delivery.get_status_display() if s.delivery else "—"),
    ],
    default_sort="-sent_at",
    filterset=SendFilter,
    empty=_("No scheduled report has been sent yet."),
)
