from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.models import PurchaserKind
from core.roles import Level
from core.widgets import DateInput
from orgs.models import OperatingAgency, OrgUnit


class ContractForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    number = forms.CharField(label=_("Contract number"), max_length=60, required=False)
    purchaser = forms.CharField(label=_("Purchaser"), max_length=100)
    purchaser_kind = forms.ChoiceField(label=_("Purchaser kind"), choices=PurchaserKind.choices)
    agency = forms.ModelChoiceField(label=_("Operating agency"), queryset=OperatingAgency.objects.none())
    start = forms.DateField(label=_("Starts on"), widget=DateInput)
    end = forms.DateField(label=_("Ends on"), widget=DateInput)
    budget = forms.DecimalField(label=_("Budget (RMB)"), max_digits=12, decimal_places=2)
    stations = forms.ModelMultipleChoiceField(
        label=_("Stations covered"), queryset=OrgUnit.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, agencies: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies
        cast(forms.ModelMultipleChoiceField, self.fields["stations"]).queryset = units.filter(level=Level.STATION)


class TargetsForm(forms.Form):
    """One optional, non-negative number per KPI."""

    def __init__(self, *args: Any, kpis: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kpi in kpis:
            self.fields[kpi.code] = forms.DecimalField(
                label=f"{kpi.name} ({kpi.unit_label})" if kpi.unit_label else kpi.name,
                required=False,
                max_digits=12,
                decimal_places=2,
                min_value=0,
                error_messages={"min_value": _("A target cannot be below zero.")},
            )
