"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import excel, registry
from volunteers.importers import VolunteerRegistry


def volunteers(user: Any) -> int:
    from volunteers.selectors import volunteers_visible

    return volunteers_visible(user).filter(is_active=True).count()


registry.home_counter(_("Volunteers"), volunteers, order=20, url_name="volunteers:volunteer_list")
registry.menu_item("registries", _("Volunteers"), "volunteers:volunteer_list", order=20)
registry.menu_item("registries", _("Volunteer teams"), "volunteers:team_list", order=21)
registry.demo_seed("volunteers", "volunteers.demo.seed", order=30)
excel.register("volunteers")(VolunteerRegistry)
