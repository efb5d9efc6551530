from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput
from volunteering.models import Rating


class ServiceRecordForm(forms.Form):
    activity_name = forms.CharField(label=_("activity"), max_length=100)
    date = forms.DateField(label=_("date"), widget=DateInput)
    place = forms.CharField(label=_("place"), max_length=100, required=False)
    content = forms.CharField(label=_("content"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    hours = forms.DecimalField(label=_("hours served"), max_digits=6, decimal_places=1)
    organiser = forms.CharField(label=_("organiser"), max_length=100, required=False)
    person_in_charge = forms.CharField(label=_("person in charge"), max_length=50, required=False)


class ConfirmRecordForm(forms.Form):
    hours = forms.DecimalField(label=_("hours served"), max_digits=6, decimal_places=1)


class TrainingForm(forms.Form):
    name = forms.CharField(label=_("training"), max_length=100)
    content = forms.CharField(label=_("content"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    hours = forms.DecimalField(label=_("hours"), max_digits=5, decimal_places=1)
    organiser = forms.CharField(label=_("organiser"), max_length=100)
    date = forms.DateField(label=_("date"), widget=DateInput)


class AwardForm(forms.Form):
    name = forms.CharField(label=_("award"), max_length=100)
    date = forms.DateField(label=_("date"), widget=DateInput)
    issuer = forms.CharField(label=_("issued by"), max_length=100)


class EvaluationForm(forms.Form):
    rating = forms.ChoiceField(label=_("rating"), choices=Rating.choices)
    date = forms.DateField(label=_("date"), widget=DateInput)
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CertificateForm(forms.Form):
    issuing_unit = forms.CharField(
        label=_("issuing unit"),
        max_length=100,
        required=False,
        help_text=_("Leave empty to use the volunteer's station."),
    )
