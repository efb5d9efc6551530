from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class WeComWebhookForm(forms.Form):
    url = forms.URLField(
        assume_scheme="https",
        label=_("Webhook address"),
        max_length=500,
        required=False,
        help_text=_(
            "In the WeCom group: add a group robot and copy its webhook address (it holds the robot's key). "
            "Left empty, the current address stays."
        ),
    )
    msgtype = forms.ChoiceField(
        label=_("Message type"), choices=[("markdown", _("Markdown")), ("text", _("Text"))], initial="markdown"
    )
    active = forms.BooleanField(label=_("Post this station's messages to the group"), required=False, initial=True)
