from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.widgets import DateInput, DateTimeInput
from customfields.forms import add_custom_fields
from grading.models import VISIT_NEED_NOTES_MAX, Card, EventKind, Instrument, InstrumentVersion, SignedBy, VisitMode
from grading.widgets import CheckinWidget, PhotosField, SignatureWidget


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

    # The richer record (issue 13): optional, below the short form.
    duration_minutes = forms.IntegerField(
        label=_("How long (minutes)"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
    )
    companion_user_ids = forms.TypedMultipleChoiceField(
        label=_("Staff who came along"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "need-picks"}),
        error_messages={"invalid_choice": _("Someone you chose as a co-visitor is not in the list for this resident.")},
    )
    companion_volunteer_ids = forms.TypedMultipleChoiceField(
        label=_("Volunteers who came along"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        error_messages={"invalid_choice": _("Someone you chose as a co-visitor is not in the list for this resident.")},
    )
    companion_organisation_ids = forms.TypedMultipleChoiceField(
        label=_("Partner organisations that came along"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3}),
        error_messages={"invalid_choice": _("Someone you chose as a co-visitor is not in the list for this resident.")},
    )
    companion_others = forms.CharField(
        label=_("Others who came along"),
        required=False,
        max_length=500,
        help_text=_("Names separated by 、 or commas: a neighbour, a relative, a doctor…"),
    )
    photos = PhotosField(label=_("Photos"), required=False)
    location_consent = forms.BooleanField(label=_("Location check-in"), required=False, widget=CheckinWidget)
    latitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, max_digits=9, decimal_places=6, widget=forms.HiddenInput)
    location_accuracy = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    signature = forms.CharField(
        label=_("Signature of the resident or guardian"), required=False, widget=SignatureWidget
    )
    signed_by = forms.ChoiceField(label=_("Who signed"), choices=[("", "---------"), *SignedBy.choices], required=False)
    signer_name = forms.CharField(label=_("Name of who signed"), required=False, max_length=50)

    # Drawn inside "more" on the row form and the page (grading/_visit_fields.html).
    RECORD_FIELDS = (
        "duration_minutes",
        "companion_user_ids",
        "companion_volunteer_ids",
        "companion_organisation_ids",
        "companion_others",
        "photos",
        "location_consent",
        "signature",
        "signed_by",
        "signer_name",
    )

    def __init__(self, *args: Any, user: Any = None, person: Any = None, **kwargs: Any) -> None:
        """`user` and `person` fill the co-visitors one may choose and apply
        the district's settings; without them those lists are empty."""
        from grading import conf
        from grading.selectors_config import visit_settings_for
        from grading.selectors_visits import companion_organisations, companion_staff, companion_volunteers

        kwargs.setdefault("initial", {}).setdefault("visited_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["need_type_ids"]).choices = _need_type_groups()
        limit = conf.max_minutes()
        duration = self.fields["duration_minutes"]
        duration.widget.attrs["max"] = limit
        duration.help_text = _("From 1 to %(n)s minutes.") % {"n": limit}
        if user is not None and person is not None:
            choices = {
                "companion_user_ids": [(u.pk, u.full_name or u.username) for u in companion_staff(user, person)],
                "companion_volunteer_ids": [(v.pk, v.name) for v in companion_volunteers(user, person)],
                "companion_organisation_ids": [(o.pk, o.name) for o in companion_organisations(user, person)],
            }
            for name, options in choices.items():
                cast(forms.ChoiceField, self.fields[name]).choices = options
        for name in ("companion_user_ids", "companion_volunteer_ids", "companion_organisation_ids"):
            if not cast(forms.ChoiceField, self.fields[name]).choices:
                del self.fields[name]  # nobody to offer: the names typed in cover it
        settings = visit_settings_for(person.unit) if person is not None else None
        photo = self.fields["photos"].widget
        photo.attrs.update(
            {
                "data-max-edge": conf.photo_max_edge(),
                "data-max-files": conf.max_photos(),
                "data-remove-label": _("Remove this photo"),
            }
        )
        self.fields["photos"].help_text = _(
            "Up to %(n)s photos; they are made smaller on the phone before sending."
        ) % {"n": conf.max_photos()}
        if settings is not None and settings.keep_photo_location:
            photo.attrs["data-keep-bytes"] = 3 * 1024 * 1024  # small enough photos go as taken, location and all
        if settings is not None and not settings.location_checkin:
            for name in ("location_consent", "latitude", "longitude", "location_accuracy"):
                del self.fields[name]
        else:
            self.fields["location_consent"].help_text = _(
                "Only with the resident's consent: the position is kept with this visit."
            )
        # The district's custom fields on visits (the field app's form, without a person, by the user's unit).
        add_custom_fields(self, target="visit", unit=person.unit if person is not None else getattr(user, "unit", None))

    def basic_fields(self) -> list[Any]:
        return [self[n] for n in self.fields if n not in self.RECORD_FIELDS and not self[n].is_hidden]

    def record_fields(self) -> list[Any]:
        return [self[n] for n in self.RECORD_FIELDS if n in self.fields]

    def record_has_errors(self) -> bool:
        return any(self[n].errors for n in self.RECORD_FIELDS if n in self.fields)


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
