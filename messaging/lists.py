"""The deliveries and the stations' group robots, declared for the list
toolkit (docs/lists.md)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import bulk
from core.access import Perm
from core.lists import Column, ListFilterSet, ListSpec, OrgUnitFilter, edit_column
from messaging import selectors, services
from messaging.models import Channel, Status


class DeliveryFilter(ListFilterSet):
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("Status"), empty_label=_("all statuses"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"), empty_label=_("all channels"))
    unit = OrgUnitFilter()


def _search(qs: QuerySet, text: str) -> QuerySet:
    text = text.strip()
    return qs.filter(Q(event__contains=text) | Q(recipient__contains=text))


DELIVERIES = ListSpec(
    key="messaging.deliveries",
    queryset=selectors.deliveries_visible,
    columns=[
        Column("created_at", _("Time"), sort=("created_at",)),
        Column("event", _("Event"), sort=("event", "created_at")),
        Column("channel", _("Channel"), value="get_channel_display", sort=("channel", "created_at")),
        Column("recipient", _("Sent to")),
        Column("status", _("Status"), value="get_status_display", sort=("status", "created_at")),
        Column("attempts", _("Attempts"), sort=("attempts",), css="num"),
        Column("last_error", _("Last error")),
        Column("sent_at", _("Sent at"), sort=("sent_at",)),
    ],
    default_sort="-created_at",
    filterset=DeliveryFilter,
    search=_search,
    search_placeholder=_("Event or recipient"),
    selectable=True,
    empty=_("No messages have been sent."),
)


def _retry(*, actor: Any, records: QuerySet, data: dict[str, Any]) -> str:
    failed = list(records.filter(status=Status.FAILED))
    for delivery in failed:
        services.delivery_retry(actor=actor, delivery=delivery)
    return gettext("%(count)d failed messages queued again.") % {"count": len(failed)}


bulk.register(
    "messaging.deliveries",
    bulk.BulkAction(key="retry", label=_("Send again"), perm=Perm.CONFIG_MANAGE, run=_retry),
)


def _robot(unit: Any) -> str:
    hook = getattr(unit, "wecom_webhook", None)
    if hook is None:
        return gettext("no robot")
    return hook.url_masked if hook.active else gettext("%(url)s (off)") % {"url": hook.url_masked}


ROBOTS = ListSpec(
    key="messaging.robots",
    queryset=selectors.stations_with_robots,
    columns=[
        Column("name", _("Street station"), sort=("path",)),
        Column("robot", _("WeCom group robot"), value=_robot),
        edit_column("messaging:robot_edit", Perm.CONFIG_MANAGE),
    ],
    default_sort="name",
    empty=_("No street stations in view."),
)
