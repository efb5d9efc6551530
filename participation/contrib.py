"""What this area contributes to the shared places (core/registry.py): the
staff queues in the to-do inbox and the menu, and the demo's pending items."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry
from core.access import Perm
from participation import todo
from portal.entries import register_entry

registry.todo_item("participation.applications", _("Volunteer applications"), todo.applications, order=55)
registry.todo_item("participation.requests", _("Volunteers' requests"), todo.requests, order=56)
registry.todo_item("participation.hours", _("Reported volunteer hours"), todo.hours, order=57)
registry.todo_item("participation.deliveries", _("Micro-wishes reported delivered"), todo.deliveries, order=58)
registry.todo_item("participation.enterprises", _("Donors' enterprises to confirm"), todo.enterprises, order=59)
registry.menu_item("services", _("From the portal"), "participation_staff:index", order=21, perm=Perm.RECORD_EDIT)
registry.demo_seed("participation", "participation.demo.seed", order=95)

register_entry("volunteer", label=_("Volunteer"), url_name="participation_portal:volunteer", order=40, icon="🤝")
register_entry("donor", label=_("Micro-wishes: give"), url_name="participation_portal:wishes", order=50, icon="🎁")
