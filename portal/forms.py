"""The portal's sign-in and account forms: only what is needed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.account import communities
from portal.signin import mobile


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("We send a six-digit sign-in code to this number by SMS."),
    )

    def clean_phone(self) -> str:
        return mobile(self.cleaned_data["phone"])


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Sign-in code"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isdigit():
            raise ValidationError(_("The code has six digits."))
        return code


class CommunityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        station = obj.parent.name if obj.parent_id else ""
        return f"{obj.name}（{station}）" if station else obj.name


class WelcomeForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=50, help_text=_("How the station may call you."))
    community = CommunityChoice(label=_("Community you live in"), queryset=None)
    under_14 = forms.BooleanField(label=_("I am under 14"), required=False)
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=50, required=False)
    guardian_phone = forms.CharField(
        label=_("Guardian's mobile number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    guardian_relation = forms.CharField(
        label=_("Guardian's relation to you"), max_length=20, required=False, help_text=_("For example 父亲, 母亲.")
    )
    accept_privacy = forms.BooleanField(label=_("I have read and accept the privacy notice above"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = communities()
