"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casework import reminders
from casework.home import open_cases, person_times_this_month
from casework.todo import approvals
from core import registry

registry.home_counter(_("Open cases"), open_cases, order=50, url_name="casework:case_list", query="open=1")
registry.home_counter(_("Person-times served this month"), person_times_this_month, order=51)
registry.todo_item("casework.approvals", _("Waiting for my approval"), approvals, order=10)
registry.todo_item("casework.referrals_overdue", reminders.LABEL, reminders.todo, order=11)
registry.reminder_rule("casework.referrals_overdue", "casework.reminders.referrals_overdue", order=60)
registry.menu_item("services", _("Services overview"), "casework:overview", order=10)
registry.menu_item("services", _("Cases"), "casework:case_list", order=11)
registry.menu_item("services", _("Groups"), "casework:group_list", order=12)
registry.menu_item("services", _("Activities"), "casework:activity_list", order=13)
registry.demo_seed("casework", "casework.demo.seed", order=70)
