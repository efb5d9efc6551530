"""What the portal adds to the shared places: the sign-in code's SMS
template, the residents' entries on the portal's home page, the staff's
to-do items and the demo seed."""

from django.utils.translation import gettext_lazy as _

from messaging.api import message_template
from portal.signin import CODE_TEMPLATE

message_template(
    CODE_TEMPLATE,
    subject=_("Your sign-in code"),
    body=_("Your sign-in code is {code}, valid for {minutes} minutes. Do not give it to anyone, staff included."),
    params=("code", "minutes"),
)
