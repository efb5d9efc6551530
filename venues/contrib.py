"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry

registry.menu_item("station", _("Venues and rooms"), "venues:index", order=35)
registry.menu_item("station", _("Room bookings"), "venues:calendar", order=36)
registry.demo_seed("venues", "venues.demo.seed", order=85)
