"""What the messaging app contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import registry
from core.access import Perm


def failed(user: Any) -> int:
    from messaging.selectors import deliveries_failed_count

    return deliveries_failed_count(user)


registry.home_counter(
    _("Messages not delivered"),
    failed,
    order=95,
    url_name="messaging:delivery_list",
    query="status=failed",
    perm=Perm.CONFIG_MANAGE,
)
registry.menu_item("organisation", _("Sent messages"), "messaging:delivery_list", order=40, perm=Perm.CONFIG_MANAGE)
registry.menu_item("organisation", _("WeCom group robots"), "messaging:robot_list", order=41, perm=Perm.CONFIG_MANAGE)
