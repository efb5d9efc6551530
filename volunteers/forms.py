from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from core.models import ServiceDomain
from orgs.models import OrgUnit
from people.forms import LenientDateField
from people.models import Sex
from volunteers.models import Skill, VolunteerTeam
from volunteers.selectors import DAYS, SLOTS

DAY_LABELS = {
    "mon": _("Mon"),
    "tue": _("Tue"),
    "wed": _("Wed"),
    "thu": _("Thu"),
    "fri": _("Fri"),
    "sat": _("Sat"),
    "sun": _("Sun"),
}
SLOT_LABELS = {"am": _("morning"), "pm": _("afternoon"), "eve": _("evening")}
AVAILABILITY_CHOICES = [(f"{d}:{s}", f"{DAY_LABELS[d]} {SLOT_LABELS[s]}") for d in DAYS for s in SLOTS]


def availability_to_choices(av: dict[str, list[str]]) -> list[str]:
    return [f"{d}:{s}" for d, slots in (av or {}).items() for s in slots]


def choices_to_availability(values: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for v in values:
        d, s = v.split(":")
        out.setdefault(d, []).append(s)
    return out


class VolunteerForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Area of residence"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    resident_id = forms.CharField(label=_("Resident ID"), max_length=24, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    birth_date = LenientDateField(label=_("Birth date"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"),
        queryset=Skill.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills_note = forms.CharField(label=_("Other skills"), max_length=200, required=False)
    domains = forms.ModelMultipleChoiceField(
        label=_("Service categories"),
        queryset=ServiceDomain.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"),
        queryset=VolunteerTeam.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=_("Weekly availability"),
        choices=AVAILABILITY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "week-grid"}),
    )
    max_tasks_per_week = forms.IntegerField(label=_("Tasks per week at most"), min_value=1, max_value=14, initial=2)
    consent_at = LenientDateField(
        label=_("Consent given on"),
        required=False,
        help_text=_("The volunteer agreed that the station records their data (2021 rules)."),
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)
    is_party_member = forms.BooleanField(
        label=_("Party member"), required=False, help_text=_("A Party-member volunteer (党员志愿者).")
    )

    def __init__(self, *args: Any, units: Any, skills: Any, domains: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["unit"]).queryset = units
        cast("forms.ModelChoiceField[Any]", self.fields["skills"]).queryset = skills
        cast("forms.ModelChoiceField[Any]", self.fields["domains"]).queryset = domains
        cast("forms.ModelChoiceField[Any]", self.fields["teams"]).queryset = teams

    def clean_availability(self) -> dict[str, list[str]]:
        return choices_to_availability(self.cleaned_data["availability"])


class TeamForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=60)
    leader = forms.ModelChoiceField(label=_("Leading social worker"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, units: Any, leaders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["unit"]).queryset = units
        cast("forms.ModelChoiceField[Any]", self.fields["leader"]).queryset = leaders
