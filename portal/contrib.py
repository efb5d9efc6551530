"""What the portal adds to the shared places: the sign-in code's SMS
template, the residents' entries on the portal's home page, the staff's
to-do items and the demo seed."""

from django.utils.translation import gettext_lazy as _

from core import registry
from messaging.api import message_template
from portal.entries import register_entry
from portal.signin import CODE_TEMPLATE
from portal.todo import feedback_pending, help_pending

message_template(
    CODE_TEMPLATE,
    subject=_("Your sign-in code"),
    body=_("Your sign-in code is {code}, valid for {minutes} minutes. Do not give it to anyone, staff included."),
    params=("code", "minutes"),
)

registry.todo_item("portal.help", _("Residents' help requests"), help_pending, order=52)
registry.todo_item("portal.feedback", _("Residents' feedback and complaints"), feedback_pending, order=53)
registry.menu_item("services", _("Portal requests"), "portal_staff:queue", order=30)
registry.demo_seed("portal", "portal.demo.seed", order=95)

register_entry("help", label=_("Ask for help"), url_name="portal:help_new", order=10, icon="🙋")
register_entry("feedback", label=_("Feedback or a complaint"), url_name="portal:feedback_new", order=20, icon="💬")
register_entry("track", label=_("Track my requests"), url_name="portal:track_list", order=30, icon="📋")
