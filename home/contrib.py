"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import registry

# The menu's headings: the areas file their items under these keys.
registry.menu_section("overview", _("Overview"), order=10)
registry.menu_section("registries", _("Registries"), order=20)
registry.menu_section("grading", _("Grading and follow-up"), order=30)
registry.menu_section("services", _("Services"), order=40)
registry.menu_section("organisation", pgettext_lazy("menu", "Organisation"), order=50)
registry.menu_section("station", _("Running the station"), order=60)
registry.menu_item("overview", _("Home"), "core:home", order=10)
# last: the digest counts what the other rules have just told
registry.reminder_rule("home.digests", "home.digest.send_digests", order=900)
