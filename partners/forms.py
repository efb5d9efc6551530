from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import ServiceDomain
from orgs.models import OrgUnit
from partners.models import Direction, Enterprise, Filing, OfferKind, ResourceKind, Stage
from people.forms import LenientDateField
from projects.models import Project


class _UnitForm(forms.Form):
    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["unit"]).queryset = units


class EnterpriseForm(_UnitForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100)
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=24, required=False, help_text=_("18 characters (GB 32100).")
    )
    contact_person = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)


class OfferForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OfferKind.choices)
    category = forms.CharField(
        label=_("Category"), max_length=40, help_text=_("e.g. rice and oil, haircuts, medical checks")
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=10, decimal_places=2, initial=1)
    quantity_unit = forms.CharField(label=_("Unit of quantity"), max_length=10, required=False)
    value = forms.DecimalField(label=_("Value (RMB)"), max_digits=12, decimal_places=2, initial=0)


class OrganisationForm(_UnitForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=100)
    domain = forms.ModelChoiceField(label=_("Domain"), queryset=ServiceDomain.objects.none(), required=False)
    stage = forms.ChoiceField(label=_("Incubation stage"), choices=Stage.choices)
    filing = forms.ChoiceField(label=_("Filing / registration"), choices=Filing.choices)
    leader = forms.CharField(label=_("Leader"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    members = forms.IntegerField(label=_("Members"), min_value=0, initial=0)
    party_members = forms.IntegerField(label=_("Of whom Party members"), min_value=0, initial=0)
    founded_on = LenientDateField(label=_("Founded on"), required=False)
    description = forms.CharField(label=_("What it does"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, domains: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["domain"]).queryset = domains


class EntryForm(_UnitForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    direction = forms.ChoiceField(label=_("In / out"), choices=Direction.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceKind.choices)
    date = LenientDateField(label=_("Date"))
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none(), required=False)
    donor = forms.CharField(label=_("Donor"), max_length=100, required=False)
    recipient = forms.CharField(label=_("Recipient"), max_length=100, required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    description = forms.CharField(label=pgettext_lazy("donation", "Items"), max_length=200, required=False)
    value = forms.DecimalField(label=_("Value (RMB)"), max_digits=12, decimal_places=2)
    project = forms.ModelChoiceField(label=_("Service project"), queryset=Project.objects.none(), required=False)

    def __init__(self, *args: Any, enterprises: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["enterprise"]).queryset = enterprises
        cast("forms.ModelChoiceField[Any]", self.fields["project"]).queryset = projects
