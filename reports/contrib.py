"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry
from core.access import Perm
from reports import schedules  # noqa: F401 (declares the scheduled report's message template)

registry.menu_item("station", _("Dashboard"), "reports:dashboard", order=10)
registry.menu_item("station", _("Reports"), "reports:report_index", order=11)
registry.menu_item("station", _("Scheduled reports"), "reports:schedule_list", order=12, perm=Perm.CONFIG_MANAGE)
registry.reminder_rule("reports.schedules", "reports.schedules.reports_send_due", order=800)
registry.demo_seed("reports", "reports.demo.seed", order=100)  # reads everything seeded before it
