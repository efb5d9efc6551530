"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry
from projects.todo import expenditures_to_approve, running_projects

registry.menu_item("services", _("Service projects"), "projects:project_list", order=60)
registry.home_counter(_("Service projects running"), running_projects, order=55, url_name="projects:project_list")
registry.todo_item("projects.expenditures", _("Expenditures to approve"), expenditures_to_approve, order=70)
registry.demo_seed(
    "projects", "projects.demo.seed", order=83
)  # after the services it links; before rooms and contracts
