"""The batch print's choices: which form, for which unit, for which month."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orgs.models import OrgUnit
from paperwork.catalogue import FORMS

MONTHS_BACK = 24  # how far back the month choice reaches


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.parent.name} · {obj.name}" if obj.level == "community" and obj.parent_id else obj.name


def month_choices(today: dt.date) -> list[tuple[str, str]]:
    choices, day = [], today.replace(day=1)
    for _i in range(MONTHS_BACK):
        choices.append((f"{day:%Y-%m}", f"{day.year}年{day.month}月"))
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return choices


class BatchForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Form"),
        choices=[
            ("household", FORMS["household"].label),
            ("case", _("Case forms (intake to closure) of the cases open in the month")),
            ("signin", FORMS["signin"].label),
            ("joint", FORMS["joint"].label),
            ("supervision", FORMS["supervision"].label),
        ],
    )
    unit = UnitChoice(label=_("Station or community"), queryset=OrgUnit.objects.none())
    month = forms.ChoiceField(label=_("Month"), help_text=_("Household files print all of the unit's files."))
    part = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        cast(forms.ChoiceField, self.fields["month"]).choices = month_choices(timezone.localdate())

    def clean_month(self) -> dt.date:
        return dt.datetime.strptime(self.cleaned_data["month"], "%Y-%m").date()
