from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.roles import Role
from orgs.models import OrgUnit


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("Current password"), widget=forms.PasswordInput)
    new_password1 = forms.CharField(label=_("New password"), widget=forms.PasswordInput)
    new_password2 = forms.CharField(label=_("New password again"), widget=forms.PasswordInput)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_old_password(self) -> str:
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise ValidationError(_("The current password is wrong."))
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        new1, new2 = data.get("new_password1"), data.get("new_password2")
        if new1 and new2:
            if new1 != new2:
                self.add_error("new_password2", _("The two new passwords differ."))
            elif new1 == data.get("old_password"):
                self.add_error("new_password1", _("Choose a password different from the current one."))
            else:
                try:
                    validate_password(new1, self.user)
                except ValidationError as exc:
                    self.add_error("new_password1", exc)
        return data


class StaffForm(forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        regex=r"^[A-Za-z0-9_.-]{3,30}$",
        max_length=30,
        help_text=_("3–30 letters, digits, dots, dashes or underscores."),
        error_messages={"invalid": _("Use 3–30 letters, digits, dots, dashes or underscores.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^(\+?86)?1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$",
        required=False,
        max_length=20,
        error_messages={"invalid": _("Enter a mobile (11 digits) or landline (e.g. 0595-22345678) number.")},
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput,
        max_length=128,
        help_text=_("The user must change it at first login."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, units: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        if editing:
            del self.fields["password"]
            self.fields["username"].disabled = True
        else:
            del self.fields["is_active"]


class ResetPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput,
        max_length=128,
        help_text=_("The user must change it at next login."),
    )


class TokenForm(forms.Form):
    code = forms.RegexField(
        label=_("6-digit code"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("Enter the 6 digits shown by your authenticator app.")},
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=60)
