from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.widgets import DateInput
from orgs.models import OrgUnit
from partners.models import Enterprise
from partybuilding.models import OrganisationKind, PartnerKind, PartyOrganisation


class OrganisationForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=OrgUnit.objects.none(), help_text=_("The district, street or community it serves.")
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices, initial=OrganisationKind.BRANCH)
    secretary = forms.CharField(label=_("Secretary"), max_length=50, required=False)
    members = forms.IntegerField(label=_("Party members"), min_value=0, initial=0)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class AgreementForm(forms.Form):
    partner = forms.CharField(
        label=_("Co-building unit"), max_length=100, help_text=_("e.g. a bank's branch, a hospital.")
    )
    partner_kind = forms.ChoiceField(label=_("Kind of unit"), choices=PartnerKind.choices)
    enterprise = forms.ModelChoiceField(
        label=_("Caring enterprise"),
        queryset=Enterprise.objects.none(),
        required=False,
        help_text=_("When the unit is also in the caring enterprises' registry."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Party organisation"), queryset=PartyOrganisation.objects.none(), required=False
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput)
    starts_on = forms.DateField(label=_("Period from"), widget=DateInput)
    ends_on = forms.DateField(label=_("Period to"), widget=DateInput)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, enterprises: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["enterprise"]).queryset = enterprises
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations


class AgreementCreateForm(AgreementForm):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    field_order = ["unit"]

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        self.order_fields(["unit", *[f for f in self.fields if f != "unit"]])


class CommitmentForm(forms.Form):
    content = forms.CharField(label=_("Commitment"), max_length=200)
    due_on = forms.DateField(label=pgettext_lazy("commitment", "Due on"), widget=DateInput)


class DeliveryForm(forms.Form):
    delivered_on = forms.DateField(label=_("Delivered on"), widget=DateInput)
    evidence = forms.CharField(
        label=_("What was delivered (evidence)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was done, with what the evidence is (photos, sign-in sheet, receipt)."),
    )
