from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.models import EvaluationKind
from contracts.storage import CONTRACT_FILE
from core.uploads import CheckedFileField
from core.widgets import DateInput


class TrancheForm(forms.Form):
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)
    amount = forms.DecimalField(label=_("Amount (RMB)"), max_digits=12, decimal_places=2)
    condition = forms.CharField(label=_("Condition"), max_length=200, help_text=_("e.g. after the mid-term evaluation"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput, required=False)


class EvaluationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvaluationKind.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput)
    evaluator = forms.CharField(label=_("Evaluator"), max_length=100)
    score = forms.DecimalField(label=_("Score"), max_digits=6, decimal_places=1, required=False)
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 4}))
    file = CheckedFileField(label=_("Report file"), kind=CONTRACT_FILE, required=False)


class ContractFileForm(forms.Form):
    file = CheckedFileField(label=_("Signed contract (PDF, Word or scan)"), kind=CONTRACT_FILE)
