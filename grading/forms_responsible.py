"""The station's responsible-worker rule (who follows up new residents)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from grading.models import ResponsibleMode


class ResponsibleRuleForm(forms.Form):
    mode = forms.ChoiceField(label=_("New residents go to"), choices=ResponsibleMode.choices, widget=forms.RadioSelect)
    worker = forms.ModelChoiceField(
        label=_("Station's designated worker"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Used by the rule “the station's designated worker”."),
    )

    def __init__(self, *args: Any, workers: Any, communities: list[tuple[Any, Any]], **kwargs: Any) -> None:
        """`workers(unit)` gives the staff who may follow up residents of the unit;
        `communities` is [(community, its queryset of choices)]."""
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["worker"]).queryset = workers
        cast(forms.ModelChoiceField, self.fields["worker"]).empty_label = _("none")
        self.communities = [c for c, _qs in communities]
        for community, choices in communities:
            self.fields[f"community_{community.pk}"] = forms.ModelChoiceField(
                label=_("Designated worker of %(unit)s") % {"unit": community.name},
                queryset=choices,
                required=False,
                empty_label=_("none: the worker who created the file"),
            )

    def community_workers(self) -> dict[Any, Any]:
        return {c: self.cleaned_data.get(f"community_{c.pk}") for c in self.communities}
