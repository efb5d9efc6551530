"""Forms of the data-hygiene pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from people.hygiene.merge import differing_fields
from people.models import Person

FIELD_LABELS = {
    "name": pgettext_lazy("person", "Name"),
    "sex": _("Sex"),
    "birth_date": _("Birth date"),
    "unit": _("Community"),
    "phone": _("Phone"),
    "phone2": _("Second phone"),
    "registered_address": _("Registered residence"),
    "actual_address": _("Actual residence"),
    "household": _("Household"),
    "location": _("Location"),
    "notes": _("Notes"),
}


def shown(person: Person, field: str) -> str:
    """A value as the merge page shows it."""
    if field == "sex":
        return person.get_sex_display()
    if field == "unit":
        return person.unit.name
    if field == "household":
        if not person.household_id:
            return "—"
        return f"{person.household} ({person.get_relation_display() or '—'})"
    if field == "location":
        return f"{person.latitude}, {person.longitude}" if person.latitude is not None else "—"
    value = getattr(person, field)
    return str(value) if value not in (None, "") else "—"


_NONE: Any = None  # each form sets its scoped queryset


class MergeForm(forms.Form):
    """One choice per field where the two files differ: keep this file's
    value or take the other's."""

    confirm = forms.BooleanField(
        label=_("I checked that these two files are the same person"),
        error_messages={"required": _("Tick the box to confirm the two files are the same person.")},
    )

    def __init__(self, *args: Any, kept: Person, merged: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = differing_fields(kept, merged)
        for field in self.choices:
            self.fields[f"take_{field}"] = forms.ChoiceField(
                label=FIELD_LABELS[field],
                choices=[("kept", shown(kept, field)), ("merged", shown(merged, field))],
                initial="kept",
                widget=forms.RadioSelect,
            )
        self.order_fields([f"take_{f}" for f in self.choices] + ["confirm"])
        ids = [bool(p.id_cipher) for p in (kept, merged)]
        self.id_note = (
            _("The kept file takes the resident ID on file; it decides the birth date and sex.")
            if any(ids) and not all(ids)
            else ""
        )

    def take(self) -> list[str]:
        return [f for f in self.choices if self.cleaned_data.get(f"take_{f}") == "merged"]


class DismissForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("These are two different people"),
        error_messages={"required": _("Tick the box to confirm they are two different people.")},
    )


class _Ticked(forms.ModelMultipleChoiceField):
    """Checkboxes of a scoped queryset that give the ids ticked: the service
    takes those still in the leaving worker's load, so a form sent twice is
    answered as the first time instead of refused for ids already moved."""

    def clean(self, value: Any) -> Any:
        return [int(v) for v in value or [] if str(v).isdigit()]


class PersonGradeChoice(_Ticked):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.name} · {obj.unit.name} · {obj.get_card_display()}"


class CaseChoice(_Ticked):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} · {obj.person.name} · {obj.title}"


class WorkerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.username} · {obj.unit.name if obj.unit_id else ''}"


class ReassignForm(forms.Form):
    """Who takes over, which of the leaving worker's recipients and cases
    (all ticked at first) and why."""

    to_worker = WorkerChoice(label=_("New worker"), queryset=_NONE)
    recipients = PersonGradeChoice(
        label=_("Recipients"), queryset=_NONE, required=False, widget=forms.CheckboxSelectMultiple
    )
    cases = CaseChoice(label=_("Open cases"), queryset=_NONE, required=False, widget=forms.CheckboxSelectMultiple)
    designated = forms.BooleanField(
        label=_("Also as the designated worker of their communities and stations"), required=False, initial=True
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, initial=_("The worker left the station."))

    def __init__(self, *args: Any, workers: Any, recipients: Any, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast_fields = self.fields
        cast_fields["to_worker"].queryset = workers  # type: ignore[attr-defined]
        cast_fields["recipients"].queryset = recipients  # type: ignore[attr-defined]
        cast_fields["cases"].queryset = cases  # type: ignore[attr-defined]
        self.initial.setdefault("recipients", [g.pk for g in recipients])
        self.initial.setdefault("cases", [c.pk for c in cases])
