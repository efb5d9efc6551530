"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry

registry.menu_item("station", _("Dashboard"), "reports:dashboard", order=10)
registry.menu_item("station", _("Reports"), "reports:report_index", order=11)
registry.demo_seed("reports", "reports.demo.seed", order=100)  # reads everything seeded before it
