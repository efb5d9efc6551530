"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from contracts.todo import kpis_behind
from core import registry

registry.todo_item("contracts.kpis_behind", _("KPIs falling behind"), kpis_behind, order=75)
registry.menu_item("station", _("Service contracts"), "contracts:contract_list", order=20)
registry.demo_seed("contracts", "contracts.demo.seed", order=90)  # its actuals read the services and work records
