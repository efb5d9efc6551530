from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import Level
from core.widgets import DateInput
from orgs.models import OrgUnit
from reports.models import PeriodKind, ReportFormat


class ReportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Station or district"), queryset=OrgUnit.objects.none())
    period_kind = forms.ChoiceField(label=_("Report"), choices=PeriodKind.choices, initial=PeriodKind.QUARTER)
    day = forms.DateField(label=_("A day in the period"), widget=DateInput, initial=timezone.localdate)
    fmt = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices, initial=ReportFormat.PDF)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units.exclude(level=Level.COMMUNITY)


class NarrativeForm(forms.Form):
    highlights = forms.CharField(label=_("Highlights"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    problems = forms.CharField(
        label=_("Problems and difficulties"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    next_steps = forms.CharField(
        label=_("Plans for the next period"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
