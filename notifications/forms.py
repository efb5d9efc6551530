from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.events import CHANNELS, Event
from notifications.preferences import Prefs


class PreferencesForm(forms.Form):
    events_on = forms.MultipleChoiceField(
        label=_("Tell me about"), choices=Event.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    channels = forms.MultipleChoiceField(
        label=_("Also send by"),
        choices=CHANNELS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Notifications always appear under the bell; these channels send them outside Linli too."),
    )
    digest_at = forms.TimeField(
        label=_("Daily digest at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Set a time to get one message a day instead of one per notification."),
    )
    quiet_from = forms.TimeField(
        label=_("Quiet hours from"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_until = forms.TimeField(
        label=_("Quiet hours until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Nothing is sent outside Linli during quiet hours; it goes out when they end."),
    )


def initial_of(prefs: Prefs) -> dict[str, Any]:
    return {
        "events_on": [e for e in Event.values if e not in prefs.events_off],
        "channels": list(prefs.channels),
        "digest_at": prefs.digest_at,
        "quiet_from": prefs.quiet_from,
        "quiet_until": prefs.quiet_until,
    }
