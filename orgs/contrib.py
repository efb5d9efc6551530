"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import registry


def units(user: Any) -> int:
    from orgs.selectors import units_visible

    return units_visible(user).count()


registry.home_counter(_("Units in view"), units, order=70, url_name="orgs:unit_list")
registry.menu_item("organisation", _("Units"), "orgs:unit_list", order=10)
registry.menu_item("organisation", _("Operating agencies"), "orgs:agency_list", order=11)
registry.demo_seed("orgs", "orgs.demo.seed", order=10)  # the tree and its staff: everything else hangs on it
registry.demo_seed("orgs.profiles", "orgs.demo_profiles.seed", order=12)  # the Xihu Road communities, after the tree
