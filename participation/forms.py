"""Forms of the participation area: the portal's (registration, requests,
hours, delivery, enterprise) and the staff queues' decisions. Shape only: the
rules live in the services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.uploads import PHOTO, CheckedFileField
from core.widgets import DateInput
from orgs.models import OrgUnit
from partners.models import Enterprise
from people.models import Sex
from volunteers.models import Skill, Volunteer
from volunteers.selectors import DAYS, SLOTS

DAY_LABELS = {
    "mon": _("Monday"),
    "tue": _("Tuesday"),
    "wed": _("Wednesday"),
    "thu": _("Thursday"),
    "fri": _("Friday"),
    "sat": _("Saturday"),
    "sun": _("Sunday"),
}
SLOT_LABELS = {"am": _("morning"), "pm": _("afternoon"), "eve": _("evening")}
AVAILABILITY_CHOICES = [(f"{d}:{s}", f"{DAY_LABELS[d]} {SLOT_LABELS[s]}") for d in DAYS for s in SLOTS]


def availability_of(values: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for value in values:
        day, _sep, slot = value.partition(":")
        out.setdefault(day, []).append(slot)
    return out


def availability_values(availability: dict[str, list[str]]) -> list[str]:
    return [f"{d}:{s}" for d, slots in (availability or {}).items() for s in slots]


class SkillsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=Skill.objects.filter(active=True).order_by("code"), required=False, **kwargs)


class AvailabilityField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=AVAILABILITY_CHOICES, required=False, **kwargs)


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=50)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput)
    resident_id = forms.CharField(
        label=_("Resident ID (optional)"),
        max_length=18,
        required=False,
        help_text=_("Kept encrypted; only its last four characters are ever shown."),
    )
    unit = forms.ModelChoiceField(label=_("Community where you live"), queryset=OrgUnit.objects.none())
    skills = SkillsField(label=_("Skills"))
    availability = AvailabilityField(label=_("When you can serve"))
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=50, required=False)
    guardian_phone = forms.CharField(label=_("Guardian's phone"), max_length=20, required=False)
    guardian_consent = forms.BooleanField(
        label=_("My guardian has read the notice and agrees"), required=False, help_text=_("Needed under 14.")
    )
    consent = forms.BooleanField(label=_("I have read the notice above and agree"), required=False)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units

    def clean_availability(self) -> dict[str, list[str]]:
        return availability_of(self.cleaned_data.get("availability") or [])


class ProfileRequestForm(forms.Form):
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    skills = SkillsField(label=_("Skills"))
    availability = AvailabilityField(label=_("When you can serve"))
    note = forms.CharField(label=_("Anything else that should change"), max_length=300, required=False)

    def clean_availability(self) -> dict[str, list[str]]:
        return availability_of(self.cleaned_data.get("availability") or [])


class RecordRequestForm(forms.Form):
    note = forms.CharField(label=_("What should change"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    """A request that needs no input (a certificate)."""

    note = forms.CharField(label=_("Note (optional)"), max_length=300, required=False)


class HoursForm(forms.Form):
    hours = forms.DecimalField(label=_("Hours served"), min_value=0, max_digits=4, decimal_places=1)


class DeliveryForm(forms.Form):
    photo = CheckedFileField(kind=PHOTO, label=_("Photo of the delivery"), required=False)
    delivered_on = forms.DateField(label=_("Delivered on"), required=False, widget=DateInput)


class EnterpriseClaimForm(forms.Form):
    name = forms.CharField(label=_("Enterprise name"), max_length=100)
    credit_code = forms.CharField(label=_("Unified social credit code (optional)"), max_length=18, required=False)


class ClaimForm(forms.Form):
    """The claim button: nothing to fill in."""


# ---------------------------------------------------------------- staff decisions


class AcceptBase(forms.Form):
    """Every acceptance says the sent item was looked at: an empty post accepts nothing."""

    checked = forms.BooleanField(label=_("I have checked what was sent"))
    field_order = ["merge_into", "hours", "enterprise", "checked"]


class VolunteerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} (no. {obj.pk}) · {obj.unit.name}"


class AcceptApplicationForm(AcceptBase):
    merge_into = VolunteerChoiceField(
        label=_("Merge with the registered volunteer"),
        queryset=Volunteer.objects.none(),
        required=False,
        empty_label=pgettext_lazy("merge", "— register as new —"),
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["merge_into"]).queryset = candidates


class AcceptHoursForm(AcceptBase):
    hours = forms.DecimalField(label=_("Hours to confirm"), min_value=0, max_digits=4, decimal_places=1, required=False)


class AcceptForm(AcceptBase):
    """Accept as sent."""


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason (shown to the sender)"), max_length=200)


class AcceptEnterpriseForm(AcceptBase):
    enterprise = forms.ModelChoiceField(label=_("The registered enterprise"), queryset=Enterprise.objects.none())

    def __init__(self, *args: Any, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["enterprise"]).queryset = enterprises
