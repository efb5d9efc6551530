"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry
from workrecords.home import summaries_to_read
from workrecords.todo import missing_supervision, unread_summaries

registry.home_counter(_("Weekly summaries to read"), summaries_to_read, order=60, url_name="workrecords:summaries")
registry.todo_item("workrecords.summaries", _("Weekly summaries to read"), unread_summaries, order=60)
registry.todo_item("workrecords.supervision", _("Monthly supervision"), missing_supervision, order=70)
registry.menu_item("station", _("Work records"), "workrecords:index", order=30)
registry.menu_item("station", _("Weekly summaries"), "workrecords:summaries", order=31)
registry.menu_item("station", _("Satisfaction"), "workrecords:satisfaction", order=32)
registry.menu_item("station", _("Self-evaluation"), "workrecords:selfeval_list", order=33)
registry.menu_item("station", _("Resource map"), "workrecords:resource_map", order=34)
registry.demo_seed("workrecords", "workrecords.demo.seed", order=80)
registry.reminder_rule("workrecords.summaries", "workrecords.reminders.summaries_missing", order=30)
registry.reminder_rule("workrecords.supervision", "workrecords.reminders.supervision_missing", order=40)
registry.reminder_rule("workrecords.joint_meetings", "workrecords.reminders.joint_meeting_due", order=50)
