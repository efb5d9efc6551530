"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry
from core.access import Perm
from grading.home import overdue_followups, red_cards
from grading.todo import followups, major_events

registry.home_counter(_("Red cards"), red_cards, order=40, url_name="grading:board_people", query="card=red")
registry.home_counter(_("My overdue follow-ups"), overdue_followups, order=41, url_name="grading:followups")
registry.todo_item("grading.major_events", _("Visits after a major event"), major_events, order=20)
registry.todo_item("grading.followups", _("Follow-up visits"), followups, order=30)
registry.menu_item("grading", _("My follow-ups"), "grading:followups", order=10)
registry.menu_item("grading", _("Grading board"), "grading:board", order=11)
registry.menu_item("grading", _("Monthly visit rate"), "grading:rates", order=12)
registry.menu_item("grading", _("Grading rules"), "grading:rules", order=13)
registry.menu_item("grading", _("Follow-up policy"), "grading:policy", order=14, perm=Perm.CONFIG_MANAGE)
registry.menu_item("grading", _("Responsible workers"), "grading:responsible_rules", order=15, perm=Perm.STAFF_MANAGE)
registry.menu_item("grading", _("Print visit records"), "grading:visits_print", order=16)
registry.menu_item("grading", _("Visit settings"), "grading:visit_settings", order=17, perm=Perm.CONFIG_MANAGE)
# after the registries: it grades the residents they created
registry.demo_seed("grading", "grading.demo.seed", order=50)
registry.reminder_rule("grading.followups", "grading.reminders.followups_due", order=10)
registry.reminder_rule("grading.major_events", "grading.reminders.major_events", order=20)
