from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fieldwork.conf import KEEP_DAYS_MAX


class FieldPolicyForm(forms.Form):
    keep_days = forms.IntegerField(
        label=_("Days a phone keeps the visit list without a refresh"),
        min_value=1,
        max_value=KEEP_DAYS_MAX,
        help_text=_("Visits waiting to be sent are never dropped: they stay until sent or discarded by the worker."),
    )
