from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from orgs.models import CommunityTrait, OperatingAgency


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    code = forms.RegexField(
        label=_("Statistical division code"),
        regex=r"^[0-9]{12}\Z",
        max_length=12,
        error_messages={"invalid": _("The division code must be exactly 12 digits.")},
        help_text=_("12 digits: county (6) + street/township (3) + community (3)."),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    latitude = forms.DecimalField(label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=6)
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, decimal_places=6
    )
    agency = forms.ModelChoiceField(
        label=_("Operating agency"), queryset=OperatingAgency.objects.none(), required=False
    )

    def __init__(self, *args: Any, agencies: Any = None, with_agency: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_agency and agencies is not None:
            cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies
        else:
            del self.fields["agency"]


class AgencyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18, required=False)
    contact_person = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)


class ProfileForm(forms.Form):
    figures_year = forms.IntegerField(
        label=_("Year of the figures"),
        required=False,
        min_value=1949,
        max_value=2100,
        help_text=_("The year the population and households were counted."),
    )
    population = forms.IntegerField(label=_("Population"), required=False, min_value=0)
    households = forms.IntegerField(label=_("Households"), required=False, min_value=0)
    area_km2 = forms.DecimalField(label=_("Area (km²)"), required=False, min_value=0, max_digits=8, decimal_places=2)
    traits = forms.ModelMultipleChoiceField(
        label=_("Characteristics"),
        queryset=CommunityTrait.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    secretary = forms.CharField(label=_("Community secretary"), max_length=50, required=False)
    secretary_phone = forms.CharField(label=_("Secretary's phone"), max_length=20, required=False)
    contacts = forms.CharField(
        label=_("Other key contacts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: role, name, phone."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, traits: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if traits is not None:
            cast(forms.ModelMultipleChoiceField, self.fields["traits"]).queryset = traits
