from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.widgets import DateInput, DateTimeInput
from grading.models import VISIT_NEED_NOTES_MAX, Card, EventKind, Instrument, InstrumentVersion, VisitMode


class VisitForm(forms.Form):
    """Short on purpose: logging a visit on a phone takes under a minute."""

    keeps_draft = True  # the browser keeps unsent text (core/static/core/js/session.js)
    mode = forms.ChoiceField(label=_("How"), choices=VisitMode.choices, initial=VisitMode.HOME)
    visited_on = forms.DateField(label=_("Date"), widget=DateInput)
    findings = forms.CharField(
        label=_("What was found"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    need_type_ids = forms.TypedMultipleChoiceField(
        label=_("Needs found"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "need-picks"}),
        help_text=_("Tick each kind of help the person needs: each becomes a need for matching."),
        error_messages={"invalid_choice": _("A kind of help you ticked is not in the catalogue or no longer in use.")},
    )
    needs = forms.CharField(
        label=_("Notes on the needs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=VISIT_NEED_NOTES_MAX,
        help_text=_("When, how often, anything the helper should know: goes on each need ticked above."),
    )
    suggested_card = forms.ChoiceField(
        label=_("Suggested card"), choices=[("", _("no change")), *Card.choices], required=False
    )
    visitor_name = forms.CharField(
        label=_("Who visited"),
        required=False,
        max_length=50,
        help_text=_("Leave empty if it was you; name the volunteer, pair or neighbour otherwise."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("visited_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["need_type_ids"]).choices = _need_type_groups()


def _need_type_groups() -> list[tuple[str, list[tuple[int, str]]]]:
    """Active catalogue types as checkbox groups, one per service domain, in
    catalogue order: a short list to scan on a phone, not a long select."""
    from matching.models import NeedType

    groups: dict[str, list[tuple[int, str]]] = {}
    for t in NeedType.objects.filter(active=True).select_related("domain").order_by("domain__order", "order", "code"):
        groups.setdefault(t.domain.name, []).append((t.pk, t.name))
    return list(groups.items())


class OverrideForm(forms.Form):
    card = forms.ChoiceField(label=_("Card"), choices=Card.choices)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": _("Say why you are changing the card by hand.")},
    )


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=[c for c in EventKind.choices if c[0] != "new_red"])
    occurred_at = forms.DateTimeField(
        label=_("When"),
        widget=DateTimeInput,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault(
            "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
        )
        super().__init__(*args, **kwargs)


class AssessmentForm(forms.Form):
    """One choice field per item of an instrument version, by dimension."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    regrade = forms.BooleanField(label=_("Re-grade the person with the new scores"), required=False, initial=True)

    def __init__(self, *args: Any, version: InstrumentVersion, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.version = version
        self.dimensions: list[tuple[str, list[str]]] = []
        for dim in version.schema["dimensions"]:
            names = []
            for item in dim["items"]:
                name = f"item_{item['code']}"
                self.fields[name] = forms.TypedChoiceField(
                    label=item["text"],
                    coerce=int,
                    choices=[("", "—")] + [(i, f"{o['label']} ({o['score']})") for i, o in enumerate(item["options"])],
                    required=False,
                )
                names.append(name)
            self.dimensions.append((dim["name"], names))

    def answers(self) -> dict[str, int]:
        return {
            name.removeprefix("item_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("item_") and value not in ("", None)
        }

    def dimension_fields(self) -> list[tuple[str, list[Any]]]:
        return [(label, [self[n] for n in names]) for label, names in self.dimensions]


class PolicyForm(forms.Form):
    red_days = forms.IntegerField(label=_("Red card: visit at least every (days)"), min_value=1, max_value=365)
    blue_days = forms.IntegerField(label=_("Blue card: visit at least every (days)"), min_value=1, max_value=365)
    green_days = forms.IntegerField(label=_("Green card: visit at least every (days)"), min_value=1, max_value=730)
    major_event_hours = forms.IntegerField(
        label=_("Visit after a major event within (hours)"), min_value=1, max_value=168
    )
    escalate_lead_days = forms.IntegerField(label=_("Overdue days before the station lead sees it"), min_value=1)
    escalate_district_days = forms.IntegerField(label=_("Overdue days before the district sees it"), min_value=1)
    rate_categories = forms.MultipleChoiceField(
        label=_("Groups counted in the monthly visit rate"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one group for the monthly visit rate.")},
    )

    def __init__(self, *args: Any, category_choices: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["rate_categories"]).choices = list(category_choices)


class RuleForm(forms.Form):
    card = forms.ChoiceField(label=_("Card"), choices=Card.choices)
    reason = forms.CharField(label=_("Reason shown"), max_length=120)
    categories = forms.MultipleChoiceField(label=_("Holds any of"), required=False, choices=())
    min_age = forms.IntegerField(label=_("Aged at least"), required=False, min_value=0, max_value=130)
    instrument = forms.ModelChoiceField(
        label=_("Assessment"), queryset=Instrument.objects.filter(active=True), required=False
    )
    min_level = forms.IntegerField(label=_("Level at least"), required=False, min_value=0, max_value=10)
    min_score = forms.IntegerField(label=_("Score at least"), required=False, min_value=0, max_value=1000)

    def __init__(self, *args: Any, category_choices: list[tuple[str, str]] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["categories"]).choices = list(category_choices)
        self.fields["categories"].widget.attrs["size"] = 4


RuleFormSet = forms.formset_factory(RuleForm, extra=2, can_delete=True)


class RuleSetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    activate = forms.BooleanField(label=_("Make it the active rule set"), required=False, initial=True)


class InstrumentVersionForm(forms.Form):
    schema = forms.JSONField(
        label=_("Items, options, scores and levels (JSON)"),
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "false"}),
        error_messages={"invalid": _("This is not valid JSON.")},
    )
    note = forms.CharField(label=_("What changed"), max_length=200)


class AssignForm(forms.Form):
    responsible = forms.ModelChoiceField(
        label=_("Responsible worker"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("nobody (the team shares it)"),
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["responsible"]).queryset = staff
