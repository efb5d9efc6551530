"""Forms of an organisation's incubation page (shape only; the rules are in partners/incubation.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput
from partners.models import Stage, SupportKind


class IncubationEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupportKind.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    amount = forms.DecimalField(
        label=_("Amount (RMB)"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Funding only."),
    )
    score = forms.IntegerField(
        label=_("Assessment score (0–100)"),
        min_value=0,
        max_value=100,
        required=False,
        help_text=_("Assessments only."),
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    date = forms.DateField(label=_("From"), widget=DateInput)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class MemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    role = forms.CharField(label=_("Role in the group"), max_length=30, required=False)
    is_party_member = forms.BooleanField(label=_("Party member"), required=False)
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput, required=False)


class RemoveForm(forms.Form):
    """A confirmation."""
