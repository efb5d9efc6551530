"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import registry
from core.access import Perm


def staff(user: Any) -> int:
    from accounts.selectors import staff_visible

    return staff_visible(user).count()


registry.home_counter(_("Staff"), staff, order=80, url_name="accounts:staff_list", perm=Perm.STAFF_MANAGE)
registry.menu_item("organisation", _("Staff accounts"), "accounts:staff_list", order=20, perm=Perm.STAFF_MANAGE)
registry.menu_item(
    "organisation", _("Security settings"), "accounts:security_settings", order=25, perm=Perm.SECURITY_MANAGE
)
