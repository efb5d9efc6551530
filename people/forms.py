from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.identity import parse_date
from core.widgets import DateInput
from orgs.models import OrgUnit
from people import rules
from people.models import CategoryType, Household, PersonStatus, Relation, RequestKind, Sex


class LenientDateField(forms.DateField):
    """A date field that also accepts 2024/1/5, 2024年1月5日 and full-width digits."""

    widget = DateInput

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        try:
            return parse_date(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code="invalid") from None


class PersonForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Community"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=50)
    resident_id = forms.CharField(
        label=_("Resident ID"),
        max_length=24,
        required=False,
        help_text=_("18 characters (a 15-digit one is upgraded); birth date and sex are taken from it."),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    birth_date = LenientDateField(label=_("Birth date"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    phone2 = forms.CharField(label=_("Second phone"), max_length=20, required=False)
    registered_address = forms.CharField(label=_("Registered residence (户籍地)"), max_length=200, required=False)
    actual_address = forms.CharField(label=_("Actual residence"), max_length=200, required=False)
    household = forms.ModelChoiceField(label=_("Household"), queryset=Household.objects.none(), required=False)
    relation = forms.ChoiceField(label=_("Relation to head"), choices=[("", "—"), *Relation.choices], required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("I have checked: this is a different person from the one on file with the same name and birth date"),
        required=False,
    )

    def __init__(self, *args: Any, communities: Any, households: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["unit"]).queryset = communities
        cast("forms.ModelChoiceField[Any]", self.fields["household"]).queryset = households
        if editing:
            self.fields["resident_id"].help_text = _("Leave empty to keep the stored ID.")


class HouseholdForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Community"), queryset=OrgUnit.objects.none())
    address = forms.CharField(label=_("Address"), max_length=200)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["unit"]).queryset = communities


class CategoryForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Category"), queryset=CategoryType.objects.none())
    subtype = forms.ChoiceField(label=_("Subtype / kind"), required=False)
    grade = forms.IntegerField(
        label=_("Grade / level"),
        required=False,
        min_value=0,
        max_value=4,
        help_text=_("Disability grade 1–4; elderly ability level 0–4 (GB/T 42195-2022)."),
    )
    start_date = LenientDateField(label=_("From"))
    end_date = LenientDateField(label=_("Until"), required=False)
    evidence = forms.CharField(
        label=_("Evidence"), max_length=200, required=False, help_text=_("e.g. certificate number, approval letter.")
    )

    def __init__(self, *args: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Any]", self.fields["category"]).queryset = categories
        choices: dict[str, Any] = {"": "—"}
        for options in rules.SUBTYPES.values():
            choices.update(options)
        cast(forms.ChoiceField, self.fields["subtype"]).choices = list(choices.items())


class EndDateForm(forms.Form):
    end_date = LenientDateField(label=_("Until"))


class StatusForm(forms.Form):
    """Moved away, deceased or service ended: the date and the reason are required."""

    status = forms.ChoiceField(
        label=_("What happened"),
        choices=[(s.value, s.label) for s in PersonStatus if s != PersonStatus.ACTIVE],
        widget=forms.RadioSelect,
    )
    on = LenientDateField(label=_("Date"))
    reason = forms.CharField(label=_("Reason"), max_length=200)


class RestoreForm(forms.Form):
    reason = forms.CharField(label=_("Why the person is served again"), max_length=200)


class GuardianForm(forms.Form):
    name = forms.CharField(label=_("Guardian name"), max_length=50)
    relation = forms.CharField(label=_("Relation to the child"), max_length=30)
    phone = forms.CharField(label=_("Guardian phone"), max_length=20, required=False)


class ConsentForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"), max_length=200, initial=_("Social work services and follow-up by the station")
    )
    given_on = LenientDateField(label=_("Given on"))
    given_by = forms.CharField(label=_("Who consented"), max_length=50)
    by_guardian = forms.BooleanField(label=_("Given by a guardian"), required=False)


class DataRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Request"), choices=RequestKind.choices)
    received_on = LenientDateField(label=_("Received on"))
    answer = forms.CharField(label=_("How it was answered"), widget=forms.Textarea, required=False)
    confirm_delete = forms.BooleanField(
        label=_("For a deletion: I understand the name, ID, phones and addresses will be erased for good"),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}  # Form.clean returns cleaned_data; the stubs allow None
        if data.get("kind") == RequestKind.DELETE and not data.get("confirm_delete"):
            self.add_error("confirm_delete", _("Tick the box to confirm the deletion."))
        return data


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    community = forms.ModelChoiceField(label=_("Community"), queryset=OrgUnit.objects.none(), required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=CategoryType.objects.none(), required=False)
    tag = forms.ModelChoiceField(label=_("Tag"), queryset=CategoryType.objects.none(), required=False)
    age_band = forms.ChoiceField(
        label=_("Age"), required=False, choices=[("", _("any age")), *[(k, k) for k in rules.AGE_BANDS]]
    )
    card = forms.ChoiceField(label=_("Card"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("served now")), *[(s.value, s.label) for s in PersonStatus if s != PersonStatus.ACTIVE]],
    )

    def __init__(
        self, *args: Any, communities: Any, categories: Any, tags: Any, cards: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["card"]).choices = [("", _("all cards")), *cards]
        cast("forms.ModelChoiceField[Any]", self.fields["community"]).queryset = communities
        cast("forms.ModelChoiceField[Any]", self.fields["category"]).queryset = categories
        cast("forms.ModelChoiceField[Any]", self.fields["tag"]).queryset = tags
        cast("forms.ModelChoiceField[Any]", self.fields["community"]).empty_label = _("all communities")
        cast("forms.ModelChoiceField[Any]", self.fields["category"]).empty_label = _("all categories")
        cast("forms.ModelChoiceField[Any]", self.fields["tag"]).empty_label = _("all tags")
        for field in self.fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))
