"""What this app contributes to the shared places: the menu items of the
notification centre, and one message template per event (messaging)."""

from __future__ import annotations

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import registry
from core.access import Perm
from messaging.api import message_template
from notifications.delivery import template_key
from notifications.events import Event

registry.menu_item("overview", _("Notifications"), "notifications:list", order=20)
registry.menu_item("overview", _("Notification defaults"), "notifications:district", order=21, perm=Perm.CONFIG_MANAGE)
for _event in Event:
    message_template(
        template_key(_event.value),
        subject=_event.label,
        body=format_lazy("{}: {{about}}\n{{link}}", _event.label),
        params=("about",),
    )
message_template(
    "notify.digest",
    subject=_("Linli: your day"),
    body=_("{unread} unread notifications, {todo} things to do.\n{link}"),
    params=("unread", "todo"),
)
