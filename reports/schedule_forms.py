from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.roles import Level
from orgs.models import OrgUnit
from reports.models import PeriodKind, ReportFormat


class ReportScheduleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    unit = forms.ModelChoiceField(label=_("Report of"), queryset=OrgUnit.objects.none())
    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices)
    fmt = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices)
    send_day = forms.IntegerField(
        label=_("Send on day"),
        min_value=1,
        max_value=28,
        initial=3,
        help_text=_("Of the month after the period ends: 3 sends November's report on 3 December."),
    )
    users = forms.ModelMultipleChoiceField(
        label=_("Staff who receive it"), queryset=User.objects.none(), required=False
    )
    emails = forms.CharField(
        label=_("Other e-mail addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line, e.g. 街道办联系人 <contact@street.example>; they get the file."),
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, units: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units.exclude(level=Level.COMMUNITY)
        cast(forms.ModelMultipleChoiceField, self.fields["users"]).queryset = staff
