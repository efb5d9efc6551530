from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.roles import Level
from core.widgets import DateInput
from orgs.models import OrgUnit
from orgs.selectors import units_visible
from workrecords.models import ReportingKind, SatisfactionSubject, SurveyKind

_TEXT = forms.Textarea(attrs={"rows": 4})


class _UnitForm(forms.Form):
    keeps_draft = True  # written-up records: the browser keeps unsent text (core/static/core/js/session.js)
    unit = forms.ModelChoiceField(label=_("Station or community"), queryset=OrgUnit.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = units_visible(user).exclude(level=Level.DISTRICT)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        if user.unit.level != Level.DISTRICT and "unit" not in self.initial:
            self.initial = {**self.initial, "unit": user.unit.pk}

    @classmethod
    def initial_from(cls, record: Any) -> dict[str, Any]:
        """The form's values for correcting a saved record."""
        return {name: getattr(record, name) for name in cls.base_fields if hasattr(record, name)}


class MeetingForm(_UnitForm):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    attendees = forms.CharField(label=_("Attendees"), widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(label=_("Minutes"), widget=_TEXT)
    decisions = forms.CharField(label=_("Decisions"), widget=_TEXT, required=False)


class SummaryForm(_UnitForm):
    date = forms.DateField(label=_("Week of"), widget=DateInput, help_text=_("Any day of the week summarised."))
    summary = forms.CharField(label=_("This week's work"), widget=_TEXT)
    next_week_plan = forms.CharField(label=_("Next week's plan"), widget=_TEXT)


class SupervisionForm(_UnitForm):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    supervisor = forms.CharField(label=_("Supervisor"), max_length=50)
    topics = forms.CharField(label=_("Topics"), widget=_TEXT)
    follow_ups = forms.CharField(label=_("Follow-ups"), widget=_TEXT, required=False)


_ADOPTED = [("", _("not decided / not a proposal")), ("yes", _("adopted")), ("no", _("not adopted"))]


class ReportingForm(_UnitForm):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportingKind.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    notes = forms.CharField(label=_("Notes"), widget=_TEXT, required=False)
    adopted = forms.TypedChoiceField(
        label=_("Proposal adopted"),
        choices=_ADOPTED,
        required=False,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
    )

    @classmethod
    def initial_from(cls, record: Any) -> dict[str, Any]:
        return {**super().initial_from(record), "adopted": {True: "yes", False: "no"}.get(record.adopted, "")}


class JointMeetingForm(_UnitForm):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    participants = forms.CharField(label=_("Participants"), widget=forms.Textarea(attrs={"rows": 2}))
    topics = forms.CharField(label=_("Topics"), widget=_TEXT)
    resolutions = forms.CharField(label=_("Resolutions"), widget=_TEXT, required=False)


class SurveyForm(_UnitForm):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=SurveyKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    questions = forms.CharField(
        label=_("Questions"),
        widget=_TEXT,
        required=False,
        help_text=_("Questionnaires only: one question per line."),
    )
    participants = forms.IntegerField(label=_("Participants"), min_value=0, initial=0)
    notes = forms.CharField(label=_("Notes / findings"), widget=_TEXT, required=False)

    @classmethod
    def initial_from(cls, record: Any) -> dict[str, Any]:
        return {**super().initial_from(record), "questions": "\n".join(record.questions)}


class SatisfactionForm(_UnitForm):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    subject_type = forms.ChoiceField(label=_("After"), choices=SatisfactionSubject.choices)
    subject = forms.CharField(label=_("Which service, activity or case"), max_length=200)
    score = forms.IntegerField(
        label=_("Score (1–5)"),
        min_value=1,
        max_value=5,
        error_messages={
            "min_value": _("The score must be between 1 and 5."),
            "max_value": _("The score must be between 1 and 5."),
        },
    )
    comment = forms.CharField(label=_("Comment"), widget=_TEXT, required=False)
    # Set when another page links here after a service, activity or case
    # (…/satisfaction/new/?subject_type=activity&subject=…&source_type=casework.activity&source_id=12).
    source_type = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)
    source_id = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)


class VenueForm(_UnitForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=0, required=False)
    latitude = forms.DecimalField(label=_("Latitude"), required=False, min_value=-90, max_value=90, decimal_places=6)
    longitude = forms.DecimalField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180, decimal_places=6
    )


class AnswerForm(forms.Form):
    respondent = forms.CharField(label=_("Respondent (a label, no name needed)"), max_length=60, required=False)

    def __init__(self, *args: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i, q in enumerate(questions):
            self.fields[f"q{i}"] = forms.CharField(label=q, required=False, widget=forms.Textarea(attrs={"rows": 2}))
        self.n = len(questions)

    def answers(self) -> list[str]:
        return [self.cleaned_data.get(f"q{i}", "") for i in range(self.n)]


class SelfEvaluationForm(_UnitForm):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    period = forms.CharField(label=_("Period"), max_length=20, help_text=_("e.g. 2026 or 2026-H1"))

    def __init__(self, *args: Any, sheet: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = list(sheet.items.all())
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.DecimalField(
                label=f"{item.module} · {item.name} (≤ {item.max_points})",
                min_value=0,
                max_value=item.max_points,
                decimal_places=1,
            )
            self.fields[f"evidence_{item.pk}"] = forms.CharField(
                label=pgettext_lazy("self-evaluation", "Evidence"), max_length=300, required=False
            )

    def scores(self) -> dict[int, tuple[Any, str]]:
        return {
            i.pk: (self.cleaned_data[f"item_{i.pk}"], self.cleaned_data.get(f"evidence_{i.pk}", "")) for i in self.items
        }


class SheetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    items = forms.CharField(
        label=pgettext_lazy("self-evaluation", "Items"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("One item per line: module | item | points."),
    )
