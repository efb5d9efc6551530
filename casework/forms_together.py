"""Forms of 五社联动 casework: the case conference with its decision rows,
the plan's agreement, referrals to partners and their answer page, and
referrals received from partners (shape only; casework/services/ decides)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.forms import StaffChoiceField
from casework.models import ConsentMethod, InboundOpened
from casework.services.together import FAMILY, GOAL, SERVICE
from core.models import ServiceDomain
from core.widgets import DateInput
from people.models import Person

ENTERPRISE_KINDS = [("organisation", _("community organisation")), ("enterprise", _("caring enterprise"))]


def partner_options(organisations: Any, enterprises: Any) -> list[tuple[Any, Any]]:
    return [
        ("", "—"),
        (_("community social organisations"), [(f"org:{o.pk}", o.name) for o in organisations]),
        (_("caring enterprises"), [(f"ent:{e.pk}", e.name) for e in enterprises]),
    ]


class PartnerField(forms.ChoiceField):
    """One choice among the registry's organisations and enterprises ("org:3",
    "ent:7"); cleans to the record."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, choices=[], **kwargs)
        self.records: dict[str, Any] = {}

    def offer(self, organisations: Any, enterprises: Any) -> None:
        organisations, enterprises = list(organisations), list(enterprises)
        self.choices = partner_options(organisations, enterprises)
        self.records = {f"org:{o.pk}": o for o in organisations} | {f"ent:{e.pk}": e for e in enterprises}

    def clean(self, value: Any) -> Any:
        key = super().clean(value)
        return self.records.get(key) if key else None


class ConferenceForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput)
    staff: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("staff"), queryset=None, required=False
    )
    organisations: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("partner organisations"), queryset=None, required=False
    )
    enterprises: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("partner enterprises"), queryset=None, required=False
    )
    family_members = forms.ModelMultipleChoiceField(
        label=_("family members"), queryset=Person.objects.none(), required=False
    )
    others = forms.CharField(
        label=_("other participants"),
        max_length=300,
        required=False,
        help_text=_("Names not in the registries: relatives, neighbours, a doctor…"),
    )
    resident_attended = forms.BooleanField(label=_("the resident attended"), required=False)
    discussion = forms.CharField(label=_("discussion"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(
        self, *args: Any, staff: Any, organisations: Any, enterprises: Any, family: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = staff
        cast(forms.ModelChoiceField, self.fields["organisations"]).queryset = organisations
        cast(forms.ModelChoiceField, self.fields["enterprises"]).queryset = enterprises
        cast(forms.ModelChoiceField, self.fields["family_members"]).queryset = family


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("decision"), choices=[(GOAL, _("goal")), (SERVICE, _("planned service"))], initial=GOAL
    )
    text = forms.CharField(label=_("what"), max_length=300)
    party = forms.ChoiceField(label=_("responsible"), choices=[], required=False)
    family_name = forms.CharField(label=_("family member responsible"), max_length=60, required=False)
    due_on = forms.DateField(label=_("to be done by"), widget=DateInput, required=False)
    frequency = forms.CharField(label=_("frequency"), max_length=60, required=False)

    def __init__(self, *args: Any, parties: list[tuple[Any, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["party"]).choices = parties


DecisionFormSet = forms.formset_factory(DecisionForm, extra=3, max_num=20, validate_max=True)


def party_options(staff: Any, organisations: Any, enterprises: Any, volunteers: Any) -> list[tuple[Any, Any]]:
    """The responsible-party choices of a decision row, grouped by kind."""
    from casework.forms import ROLE_LABELS

    return [
        ("", "—"),
        (_("staff"), [(f"user:{u.pk}", f"{u} · {ROLE_LABELS.get(u.role, u.role)}") for u in staff]),
        (_("community social organisations"), [(f"org:{o.pk}", o.name) for o in organisations]),
        (_("caring enterprises"), [(f"ent:{e.pk}", e.name) for e in enterprises]),
        (_("volunteers"), [(f"vol:{v.pk}", v.name) for v in volunteers]),
        (_("family"), [(FAMILY, _("a family member (name below)"))]),
    ]


class PlanAgreementForm(forms.Form):
    agreed_by = forms.CharField(
        label=_("plan agreed by"),
        max_length=300,
        help_text=_("Who agreed to the plan: the resident, family members, partners (names)."),
    )
    agreed_on = forms.DateField(label=_("plan agreed on"), widget=DateInput)


class ReferralForm(forms.Form):
    partner = PartnerField(label=_("receiving partner"), required=False)
    new_partner_name = forms.CharField(
        label=_("or a new partner"),
        max_length=100,
        required=False,
        help_text=_("Not in the registry yet: it is added to the partners' registry."),
    )
    new_partner_kind = forms.ChoiceField(label=_("the new partner is"), choices=ENTERPRISE_KINDS, required=False)
    contact = forms.CharField(label=_("contact at the organisation"), max_length=120, required=False)
    reason = forms.CharField(label=_("reason for referral"), widget=forms.Textarea(attrs={"rows": 3}))
    asked = forms.CharField(label=_("what is asked of them"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    referred_on = forms.DateField(label=_("referred on"), widget=DateInput)
    consent_on = forms.DateField(
        label=_("consent given on"),
        widget=DateInput,
        required=False,
        help_text=_("A referral is only made with the person's (or guardian's) consent."),
    )
    consent_method = forms.ChoiceField(label=_("consent recorded as"), choices=ConsentMethod.choices)

    def __init__(self, *args: Any, organisations: Any, enterprises: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(PartnerField, self.fields["partner"]).offer(organisations, enterprises)

    def clean_new_partner_kind(self) -> str:
        return self.cleaned_data.get("new_partner_kind") or "organisation"


class LinkIssueForm(forms.Form):
    """Issuing the answer link is a deliberate step (it replaces any earlier link)."""


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("your answer"),
        choices=[
            ("accept", _("We accept the referral")),
            ("decline", _("We decline the referral")),
            ("done", _("We have done what was asked")),
        ],
        widget=forms.RadioSelect,
    )
    answered_by = forms.CharField(label=_("your name"), max_length=60)
    reason = forms.CharField(label=_("reason for declining"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    feedback = forms.CharField(
        label=_("what was done or will be done"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class InboundForm(forms.Form):
    partner = PartnerField(label=_("from partner"))
    person = forms.ModelChoiceField(label=_("resident"), queryset=Person.objects.none())
    received_on = forms.DateField(label=_("received on"), widget=DateInput)
    reason = forms.CharField(label=_("reason for referral"), widget=forms.Textarea(attrs={"rows": 3}))
    domain = forms.ModelChoiceField(label=_("service domain"), queryset=ServiceDomain.objects.filter(active=True))
    opens = forms.ChoiceField(label=_("opens"), choices=InboundOpened.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("presenting problem"), max_length=120, required=False)
    worker = StaffChoiceField(label=_("case worker"), queryset=None, required=False)
    need_type = forms.CharField(label=_("type of help needed"), max_length=40, required=False)

    def __init__(
        self, *args: Any, organisations: Any, enterprises: Any, persons: Any, staff: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(PartnerField, self.fields["partner"]).offer(organisations, enterprises)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = persons
        cast(forms.ModelChoiceField, self.fields["worker"]).queryset = staff
