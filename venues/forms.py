"""Forms for venues, rooms and bookings: the shape of the input. The rules
(opening hours, capacity, clashes) are the services'."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.widgets import DateInput, DateTimeInput
from workrecords.forms import VenueForm as _VenueCreateForm

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


class VenueEditForm(_VenueCreateForm):
    """The venue's own fields; its unit stays where it was registered."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("unit")


class DateListField(forms.CharField):
    """Dates typed one per line or separated by commas or spaces (YYYY-MM-DD)."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value: Any) -> list[dt.date]:  # type: ignore[override]
        text = super().to_python(value) or ""
        days = []
        for part in text.replace(",", " ").replace("，", " ").split():
            try:
                days.append(dt.date.fromisoformat(part.strip()))
            except ValueError as exc:
                raise forms.ValidationError(
                    _("%(text)s is not a date (write YYYY-MM-DD).") % {"text": part[:20]}
                ) from exc
        return sorted(set(days))


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    capacity = forms.IntegerField(label=_("Capacity (people)"), min_value=1, required=False)
    area_m2 = forms.IntegerField(label=_("Floor area (m²)"), min_value=1, required=False)
    facilities = forms.CharField(label=_("Facilities"), max_length=300, required=False)
    closed_dates = DateListField(
        label=_("Closed on"), required=False, help_text=_("Holidays or repairs: one date per line (YYYY-MM-DD).")
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, label in WEEKDAYS:
            self.fields[f"opens_{day}"] = forms.TimeField(
                label=pgettext_lazy("room", "%(day)s opens") % {"day": label}, required=False, widget=TimeInput
            )
            self.fields[f"closes_{day}"] = forms.TimeField(
                label=pgettext_lazy("room", "%(day)s closes") % {"day": label}, required=False, widget=TimeInput
            )

    @staticmethod
    def initial_for(room: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": room.name,
            "capacity": room.capacity,
            "area_m2": room.area_m2,
            "facilities": room.facilities,
            "closed_dates": "\n".join(room.closed_dates or []),
            "is_active": room.is_active,
        }
        for key, (opens, closes) in (room.hours or {}).items():
            initial[f"opens_{key}"] = dt.time.fromisoformat(opens)
            initial[f"closes_{key}"] = dt.time.fromisoformat(closes)
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours: dict[str, list[str]] = {}
        for day, _label in WEEKDAYS:
            opens, closes = data.pop(f"opens_{day}", None), data.pop(f"closes_{day}", None)
            if (opens is None) != (closes is None):
                self.add_error(f"closes_{day}", _("Give both the opening and the closing time, or neither."))
            elif opens is not None and closes is not None:
                hours[str(day)] = [opens.strftime("%H:%M"), closes.strftime("%H:%M")]
        data["hours"] = hours
        return data


class BookingForm(forms.Form):
    room: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Room"), queryset=None)
    starts_at = forms.DateTimeField(label=pgettext_lazy("booking", "From"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=pgettext_lazy("booking", "Until"), widget=DateTimeInput)
    purpose = forms.CharField(label=_("Purpose"), max_length=120)
    attendees = forms.IntegerField(label=_("Expected attendees"), min_value=1, required=False)

    def __init__(self, *args: Any, rooms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["room"]).queryset = rooms


class SeasonForm(forms.Form):
    room: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Room"), queryset=None)
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Resident group"), queryset=None, required=False
    )
    purpose = forms.CharField(label=_("Purpose"), max_length=120, help_text=_("e.g. the choir's weekly rehearsal"))
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=WEEKDAYS, coerce=int)
    starts = forms.TimeField(label=pgettext_lazy("booking", "From"), widget=TimeInput)
    ends = forms.TimeField(label=pgettext_lazy("booking", "Until"), widget=TimeInput)
    first_day = forms.DateField(label=_("Term starts"), widget=DateInput)
    last_day = forms.DateField(label=_("Term ends"), widget=DateInput)
    skip_dates = DateListField(
        label=_("No session on"), required=False, help_text=_("Holidays: one date per line (YYYY-MM-DD).")
    )
    attendees = forms.IntegerField(label=_("Expected attendees"), min_value=1, required=False)

    def __init__(self, *args: Any, rooms: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["room"]).queryset = rooms
        cast(forms.ModelChoiceField, self.fields["organisation"]).queryset = organisations


class ReleaseForm(forms.Form):
    """A confirmation: releasing a booking or cancelling a season."""
