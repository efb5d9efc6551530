from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import ServiceDomain
from core.uploads import CheckedFileField
from core.widgets import DateInput
from orgs.models import OrgUnit
from partners.models import CommunityOrganisation, Enterprise
from partybuilding.models import Agreement
from projects.models import BudgetLine
from projects.storage import RECEIPT


class ProjectForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Station or district"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=_("Name"), max_length=120)
    domain = forms.ModelChoiceField(label=_("Service domain"), queryset=ServiceDomain.objects.none(), required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    is_brand = forms.BooleanField(label=_("Brand project of the station (一站一品)"), required=False)
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    target_person_times = forms.IntegerField(label=_("Target person-times"), min_value=0, required=False)
    target_activities = forms.IntegerField(label=_("Target activities"), min_value=0, required=False)
    target_households = forms.IntegerField(label=_("Target households reached"), min_value=0, required=False)
    target_raised = forms.DecimalField(
        label=_("Target money raised (RMB)"), min_value=0, max_digits=12, decimal_places=2, required=False
    )
    partner_enterprises = forms.ModelMultipleChoiceField(
        label=_("Partner enterprises"),
        queryset=Enterprise.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partner_organisations = forms.ModelMultipleChoiceField(
        label=_("Partner organisations"),
        queryset=CommunityOrganisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    partner_agreements = forms.ModelMultipleChoiceField(
        label=_("Co-building units (党建共建)"),
        queryset=Agreement.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description for publicity"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(
        self,
        *args: Any,
        units: Any,
        enterprises: Any,
        organisations: Any,
        agreements: Any,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["domain"]).queryset = ServiceDomain.objects.filter(active=True)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        cast(forms.ModelMultipleChoiceField, self.fields["partner_enterprises"]).queryset = enterprises
        cast(forms.ModelMultipleChoiceField, self.fields["partner_organisations"]).queryset = organisations
        cast(forms.ModelMultipleChoiceField, self.fields["partner_agreements"]).queryset = agreements
        if editing:
            del self.fields["unit"]


class BudgetLineForm(forms.Form):
    name = forms.CharField(label=_("Budget line"), max_length=80)
    amount = forms.DecimalField(label=_("Amount (RMB)"), min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class BudgetAmountForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (RMB)"), min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class ExpenditureForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    spent_on = forms.DateField(label=_("Date"), widget=DateInput)
    amount = forms.DecimalField(label=_("Amount (RMB)"), max_digits=12, decimal_places=2)
    payee = forms.CharField(label=_("Paid to"), max_length=100)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    receipt = CheckedFileField(label=_("Receipt or invoice (PDF or photo)"), kind=RECEIPT)

    def __init__(self, *args: Any, lines: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["line"]).queryset = lines


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Comment (required to refuse)"), max_length=200, required=False)
