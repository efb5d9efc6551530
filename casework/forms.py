"""Forms for casework, groups and activities (validation of shape; the
services apply the business rules)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.models import PlannedService, ReferralStatus
from casework.storage import ACTIVITY_PHOTO, ATTACHMENT
from core.models import ServiceDomain
from core.roles import Role
from core.uploads import CheckedFileField
from core.widgets import DateInput, DateTimeInput
from orgs.models import OrgUnit
from partners.models import CommunityOrganisation, Enterprise
from people.models import Person
from volunteers.models import Volunteer


def _domains(initial: Any = None) -> Any:
    """The service domains a form offers: those in use, and a retired one the
    record being edited still holds (saving it untouched keeps it)."""
    held = (initial or {}).get("domain")
    held_pk = getattr(held, "pk", held)
    return (
        ServiceDomain.objects.filter(Q(active=True) | Q(pk=held_pk))
        if held_pk
        else ServiceDomain.objects.filter(active=True)
    )


# The roles' labels, looked up once (lazy: translated when shown).
ROLE_LABELS = dict(Role.choices)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} · {ROLE_LABELS.get(obj.role, obj.role)}"


class CaseForm(forms.Form):
    person = forms.ModelChoiceField(label=_("resident"), queryset=Person.objects.none())
    domain = forms.ModelChoiceField(label=_("service domain"), queryset=ServiceDomain.objects.none())
    title = forms.CharField(label=_("presenting problem"), max_length=120)
    intake_summary = forms.CharField(
        label=_("intake summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    opened_on = forms.DateField(label=_("opened on"), widget=DateInput)
    worker = StaffChoiceField(label=_("case worker"), queryset=None)
    supervisor = StaffChoiceField(label=_("case supervisor (督导)"), queryset=None, required=False)

    def __init__(self, *args: Any, persons: Any, staff: Any, supervisors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = persons
        cast(forms.ModelChoiceField, self.fields["domain"]).queryset = _domains(self.initial)
        cast(forms.ModelChoiceField, self.fields["worker"]).queryset = staff
        cast(forms.ModelChoiceField, self.fields["supervisor"]).queryset = supervisors


class MoveForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class GoalForm(forms.Form):
    text = forms.CharField(label=_("goal"), max_length=300)


class PlannedServiceForm(forms.Form):
    description = forms.CharField(label=_("service"), max_length=200)
    frequency = forms.CharField(label=_("frequency"), max_length=60, required=False)


class DeliveredServiceForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput)
    description = forms.CharField(label=_("what was done"), max_length=300)
    minutes = forms.IntegerField(label=_("minutes"), initial=60)
    planned = forms.ModelChoiceField(label=_("planned as"), queryset=PlannedService.objects.none(), required=False)

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["planned"]).queryset = case.planned_services.all()


class NoteForm(forms.Form):
    keeps_draft = True  # the browser keeps unsent text (core/static/core/js/session.js)
    date = forms.DateField(label=_("date"), widget=DateInput)
    text = forms.CharField(label=pgettext_lazy("case note", "note"), widget=forms.Textarea(attrs={"rows": 5}))


class AttachmentForm(forms.Form):
    file = CheckedFileField(kind=ATTACHMENT, label=_("file"))
    description = forms.CharField(label=_("description"), max_length=200, required=False)


class TransferForm(forms.Form):
    to_worker = StaffChoiceField(label=_("new case worker"), queryset=None)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["to_worker"]).queryset = staff


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=ReferralStatus.choices)
    outcome = forms.CharField(label=_("outcome"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class GroupForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=OrgUnit.objects.none())
    name = forms.CharField(label=_("name"), max_length=100)
    domain = forms.ModelChoiceField(label=_("service domain"), queryset=ServiceDomain.objects.none())
    goals = forms.CharField(label=_("goals"), widget=forms.Textarea(attrs={"rows": 3}))
    start_on = forms.DateField(label=_("starts on"), widget=DateInput)
    planned_sessions = forms.IntegerField(label=_("planned sessions"), initial=6)
    worker = StaffChoiceField(label=_("group worker"), queryset=None)
    scale_name = forms.CharField(label=_("outcome scale"), max_length=80, required=False)
    higher_is_better = forms.BooleanField(label=_("a higher score is better"), required=False, initial=True)
    project: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("service project"), queryset=None, required=False
    )

    def __init__(self, *args: Any, units: Any, staff: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        cast(forms.ModelChoiceField, self.fields["domain"]).queryset = _domains(self.initial)
        cast(forms.ModelChoiceField, self.fields["worker"]).queryset = staff
        cast(forms.ModelChoiceField, self.fields["project"]).queryset = projects


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(label=_("resident"), queryset=Person.objects.none())

    def __init__(self, *args: Any, persons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = persons


class SessionForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DateInput)
    topic = forms.CharField(label=_("topic"), max_length=120)
    notes = forms.CharField(label=_("notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ActivityForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("unit"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("title"), max_length=120)
    domain = forms.ModelChoiceField(label=_("service domain"), queryset=ServiceDomain.objects.none())
    room: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("room"),
        queryset=None,
        required=False,
        help_text=_("A room of the station's venues: it is booked with the activity."),
    )
    venue = forms.CharField(
        label=_("venue"), max_length=120, required=False, help_text=_("A place that is not a room (a square, a home).")
    )
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DateTimeInput)
    organiser = forms.CharField(label=_("organiser"), max_length=100)
    person_in_charge = StaffChoiceField(label=_("person in charge"), queryset=None)
    project: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("service project"), queryset=None, required=False
    )
    party_led = forms.BooleanField(label=_("Party-led (党建引领)"), required=False)
    partner_organisations = forms.ModelMultipleChoiceField(
        label=_("partner organisations"), queryset=CommunityOrganisation.objects.none(), required=False
    )
    partner_enterprises = forms.ModelMultipleChoiceField(
        label=_("partner enterprises"), queryset=Enterprise.objects.none(), required=False
    )
    plan = forms.CharField(label=_("plan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    resources = forms.CharField(label=_("resources used"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(
        self,
        *args: Any,
        units: Any,
        staff: Any,
        organisations: Any,
        enterprises: Any,
        rooms: Any,
        projects: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        cast(forms.ModelChoiceField, self.fields["domain"]).queryset = _domains(self.initial)
        cast(forms.ModelChoiceField, self.fields["person_in_charge"]).queryset = staff
        cast(forms.ModelChoiceField, self.fields["partner_organisations"]).queryset = organisations
        cast(forms.ModelChoiceField, self.fields["partner_enterprises"]).queryset = enterprises
        cast(forms.ModelChoiceField, self.fields["room"]).queryset = rooms
        cast(forms.ModelChoiceField, self.fields["project"]).queryset = projects


class SignupForm(forms.Form):
    person = forms.ModelChoiceField(label=_("resident"), queryset=Person.objects.none(), required=False)
    volunteer = forms.ModelChoiceField(label=_("volunteer"), queryset=Volunteer.objects.none(), required=False)

    def __init__(
        self, *args: Any, persons: Any, volunteers: Any, search_url: str = "", chosen: Any = (), **kwargs: Any
    ) -> None:
        from casework.forms_signups import PersonSearchWidget

        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = persons
        cast(forms.ModelChoiceField, self.fields["volunteer"]).queryset = volunteers
        if search_url:  # a search, not a dropdown of every resident of the station
            widget = PersonSearchWidget(search_url=search_url)
            widget.chosen = list(chosen)
            self.fields["person"].widget = widget


class CompleteForm(forms.Form):
    head_count = forms.IntegerField(label=_("unnamed attendees (head count)"), min_value=0, initial=0)
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea(attrs={"rows": 4}))
    resources = forms.CharField(label=_("resources used"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class IdListField(forms.Field):
    """The ids ticked in a grid of checkboxes (the service checks they belong)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        return [int(v) for v in value or [] if str(v).isdigit()]


class AttendanceForm(forms.Form):
    members = IdListField(required=False)


class ScoresForm(forms.Form):
    """Pre/post scores of each member, as typed (the service parses them)."""

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for m in members:
            self.fields[f"pre_{m.pk}"] = forms.CharField(required=False)
            self.fields[f"post_{m.pk}"] = forms.CharField(required=False)

    def scores(self) -> dict[int, tuple[str, str]]:
        d = self.cleaned_data
        pks = {int(k.split("_", 1)[1]) for k in self.fields if k.startswith(("pre_", "post_"))}
        return {pk: (d[f"pre_{pk}"], d[f"post_{pk}"]) for pk in pks}


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PhotoForm(forms.Form):
    file = CheckedFileField(kind=ACTIVITY_PHOTO, label=_("photo"))
    caption = forms.CharField(label=_("caption"), max_length=120, required=False)
