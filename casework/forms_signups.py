"""Forms of signing residents up for an activity: a search instead of a
dropdown of every resident, and the batch sign-up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from people.hub import card_choices
from people.selectors import categories_active, communities_in_scope

_NONE: Any = None  # each form sets its scoped queryset


class PersonSearchWidget(forms.Widget):
    """A search box that fetches matching residents (htmx) as radio buttons
    or checkboxes named like the field; the chosen value stays drawn."""

    template_name = "casework/widgets/person_search.html"

    def __init__(self, *, search_url: str = "", multiple: bool = False, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.search_url = search_url
        self.multiple = multiple
        self.chosen: list[Any] = []  # the residents already chosen (set by the form)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"].update(search_url=self.search_url, multiple=self.multiple, chosen=self.chosen)
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.multiple:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)


class IdsField(forms.Field):
    """The ids ticked (the service checks they are in scope)."""

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        return [int(v) for v in values if str(v).isdigit()]


class BatchSignupForm(forms.Form):
    persons = IdsField(label=_("Residents found by the search"), required=False)
    pasted = forms.CharField(
        label=_("Or paste names or phone tails"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line (or separated by commas)."),
    )
    community = forms.ModelChoiceField(label=_("Or everyone of a community"), queryset=_NONE, required=False)
    category = forms.ModelChoiceField(label=_("… holding the category"), queryset=_NONE, required=False)
    card = forms.ChoiceField(label=_("… with the card"), required=False)

    def __init__(
        self, *args: Any, user: Any, search_url: str, chosen: list[Any], confirmed: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.confirmed = confirmed
        widget = PersonSearchWidget(search_url=search_url, multiple=True)
        widget.chosen = chosen
        self.fields["persons"].widget = widget
        self.fields["community"].queryset = communities_in_scope(user)  # type: ignore[attr-defined]
        self.fields["category"].queryset = categories_active(custom=None)  # type: ignore[attr-defined]
        self.fields["card"].choices = [("", _("any card")), *card_choices()]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in ("community", "category", "card")}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("persons") or data.get("pasted") or any(self.filters().values())):
            raise ValidationError(_("Choose residents: tick them in the search, paste a list or pick by filter."))
        if not self.confirmed:
            # The first send shows the preview; the page's confirm button sends again with `confirm`.
            raise ValidationError(_("Check who will be signed up and who is skipped, then confirm."), code="preview")
        return data
