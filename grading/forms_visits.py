"""Forms of the richer visit record: the batch print of a community's month
and the district's visit settings."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.models import OrgUnit


class MonthInput(forms.TextInput):
    """`<input type="month">`: browsers send and show `YYYY-MM`."""

    input_type = "month"


class VisitPrintForm(forms.Form):
    community = forms.ModelChoiceField(label=_("Community"), queryset=OrgUnit.objects.none())
    # A month, not a date: a text field of its own spelling (YYYY-MM), parsed below.
    month = forms.CharField(label=_("Month"), max_length=7, widget=MonthInput())

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("month", f"{timezone.localdate():%Y-%m}")
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["community"]).queryset = communities

    def clean_month(self) -> dt.date:
        raw = (self.cleaned_data["month"] or "").strip()
        try:
            month = dt.datetime.strptime(raw, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("Give the month as YYYY-MM.")) from None
        if month > timezone.localdate():
            raise forms.ValidationError(_("Choose this month or an earlier one."))
        return month


class VisitSettingsForm(forms.Form):
    location_checkin = forms.BooleanField(
        label=_("Offer the location check-in at the door"),
        required=False,
        help_text=_("Workers may record where a visit took place, only with the resident's consent."),
    )
    keep_photo_location = forms.BooleanField(
        label=_("Keep the location stored in photos"),
        required=False,
        help_text=_("Off: the position the camera writes into a photo is removed when it is uploaded."),
    )
