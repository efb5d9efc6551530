"""The notification list (core/lists.py)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.lists import Column, ListFilterSet, ListSpec
from notifications import selectors
from notifications.events import Event


class NotificationFilter(ListFilterSet):
    state = django_filters.ChoiceFilter(
        choices=[("unread", _("unread")), ("read", _("read"))],
        label=_("Read or not"),
        empty_label=_("read and unread"),
        method="by_state",
    )
    event = django_filters.ChoiceFilter(choices=Event.choices, label=_("Event"), empty_label=_("all events"))

    def by_state(self, qs: QuerySet, _name: str, value: str) -> QuerySet:
        return qs.filter(read_at__isnull=value == "unread")


def _search(qs: QuerySet, text: str) -> QuerySet:
    return qs.filter(subject__icontains=text.strip())


NOTIFICATIONS = ListSpec(
    key="notifications.mine",
    queryset=selectors.notifications_of,
    columns=[
        Column("created_at", _("When"), sort=("created_at",)),
        Column("title", _("Notification"), template="notifications/_title_cell.html"),
        Column("read_at", _("Read at"), sort=("read_at",)),
    ],
    default_sort="-created_at",
    filterset=NotificationFilter,
    search=_search,
    search_placeholder=_("Case number or masked name"),
    empty=_("Nothing to tell you yet."),
)
