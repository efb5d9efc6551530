from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import PHOTO, CheckedFileField
from core.widgets import DateInput
from matching.models import NeedType, OfferKind
from orgs.models import OrgUnit
from partners.models import CommunityOrganisation, Enterprise
from people.models import Person
from projects.models import Project
from volunteers.models import Volunteer


class NeedForm(forms.Form):
    keeps_draft = True  # the browser keeps unsent text (core/static/core/js/session.js)
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Resident"))
    need_type = forms.ModelChoiceField(
        queryset=NeedType.objects.none(),
        label=_("Category"),
        required=False,
        error_messages={"invalid_choice": _("Choose a category from the list.")},
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    quantity = forms.IntegerField(label=_("Quantity"), initial=1)
    window_start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    window_end = forms.DateField(label=_("Until (deadline)"), required=False, widget=DateInput)

    def __init__(self, *args: Any, persons: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = persons
        cast(forms.ModelChoiceField, self.fields["need_type"]).queryset = NeedType.objects.filter(active=True)
        if editing:
            del self.fields["person"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("need_type") and "need_type" not in self.errors:
            self.add_error("need_type", _("Choose the category of the need."))
        start, end = data.get("window_start"), data.get("window_end")
        if start and end and end < start:
            self.add_error("window_end", _("The time window ends before it starts."))
        return data


class NeedCloseForm(forms.Form):
    note = forms.CharField(label=_("Why it is closed unmet"), max_length=200)


class OfferForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OfferKind.choices)
    name = forms.CharField(label=_("What is offered"), max_length=100, required=False)
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("Unit"))
    volunteer = forms.ModelChoiceField(queryset=Volunteer.objects.none(), label=_("Volunteer"), required=False)
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), label=_("Enterprise"), required=False)
    organisation = forms.ModelChoiceField(
        queryset=CommunityOrganisation.objects.none(), label=_("Organisation"), required=False
    )
    need_types = forms.ModelMultipleChoiceField(
        queryset=NeedType.objects.none(),
        label=_("Categories served"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a volunteer, leave empty to use their skills."),
    )
    capacity = forms.IntegerField(
        label=_("Tasks per week or stock"), required=False, help_text=_("For a volunteer, empty = their weekly limit.")
    )
    available_from = forms.DateField(label=_("Available from"), required=False, widget=DateInput)
    available_until = forms.DateField(label=_("Available until"), required=False, widget=DateInput)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    latitude = forms.DecimalField(label=_("Latitude"), required=False, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, max_digits=9, decimal_places=6)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(
        self, *args: Any, units: Any, volunteers: Any, enterprises: Any, organisations: Any, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        cast(forms.ModelChoiceField, self.fields["volunteer"]).queryset = volunteers
        cast(forms.ModelChoiceField, self.fields["enterprise"]).queryset = enterprises
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations
        cast(forms.ModelChoiceField, self.fields["need_types"]).queryset = NeedType.objects.filter(active=True)


class RunForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("Match within"))
    max_distance_m = forms.IntegerField(label=_("Farthest distance (m)"), required=False, min_value=1)

    def __init__(self, *args: Any, units: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class TaskCompleteForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("Resident's satisfaction"),
        coerce=int,
        choices=[("", "—"), *[(i, "★" * i) for i in range(1, 6)]],
        required=False,
    )
    feedback = forms.CharField(label=_("Feedback"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    hours = forms.DecimalField(label=_("Hours served"), required=False, max_digits=5, decimal_places=1)
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DateInput)
    project = forms.ModelChoiceField(queryset=Project.objects.none(), label=_("Service project"), required=False)

    def __init__(self, *args: Any, projects: Any = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        if projects is None:
            del self.fields["project"]
        else:
            cast(forms.ModelChoiceField, self.fields["project"]).queryset = projects


class TaskCancelForm(forms.Form):
    note = forms.CharField(label=_("Why it is cancelled"), max_length=200)


class WishForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Recipient"))
    title = forms.CharField(label=_("The wish"), max_length=100, required=False)
    need_type = forms.ModelChoiceField(queryset=NeedType.objects.none(), label=_("Category"), required=False)
    value = forms.DecimalField(label=_("Value (RMB)"), required=False, max_digits=9, decimal_places=2)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    project = forms.ModelChoiceField(queryset=Project.objects.none(), label=_("Service project"), required=False)

    def __init__(self, *args: Any, persons: Any, projects: Any = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = persons
        cast(forms.ModelChoiceField, self.fields["need_type"]).queryset = NeedType.objects.filter(active=True)
        if projects is None:
            del self.fields["project"]
        else:
            cast(forms.ModelChoiceField, self.fields["project"]).queryset = projects


class WishClaimForm(forms.Form):
    enterprise = forms.ModelChoiceField(queryset=Enterprise.objects.none(), label=_("Enterprise"), required=False)
    volunteer = forms.ModelChoiceField(queryset=Volunteer.objects.none(), label=_("Volunteer"), required=False)
    claimed_on = forms.DateField(label=_("Claimed on"), required=False, widget=DateInput)

    def __init__(self, *args: Any, enterprises: Any, volunteers: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        cast(forms.ModelChoiceField, self.fields["enterprise"]).queryset = enterprises
        cast(forms.ModelChoiceField, self.fields["volunteer"]).queryset = volunteers


class WishFulfilForm(forms.Form):
    photo = CheckedFileField(kind=PHOTO, label=_("Photo"), required=False)
    fulfilled_on = forms.DateField(label=_("Fulfilled on"), required=False, widget=DateInput)


class StatsForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput)


class NeedTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.domain.name}"


class NeedTypeForm(forms.Form):
    """The catalogue type of a need that has none (the review page)."""

    need_type = NeedTypeChoiceField(
        queryset=NeedType.objects.none(),
        label=_("Kind of help"),
        empty_label=_("choose…"),
        error_messages={
            "required": _("Choose a kind of help from the catalogue."),
            "invalid_choice": _("Choose a kind of help from the catalogue."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["need_type"])
        field.queryset = (
            NeedType.objects.filter(active=True).select_related("domain").order_by("domain__order", "order", "code")
        )
        field.widget.attrs["aria-label"] = field.label
