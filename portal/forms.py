"""The portal's sign-in and account forms: only what is needed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.uploads import CheckedFileField
from matching.models import NeedType
from people.models import Person
from portal.account import communities
from portal.intake import PHOTO
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


class HelpForm(forms.Form):
    need_type = forms.ModelChoiceField(label=_("What kind of help"), queryset=NeedType.objects.none())
    description = forms.CharField(
        label=_("What is needed"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few words: what, and when it would help."),
    )
    community = CommunityChoice(label=_("Where (community)"), queryset=None)
    person_name = forms.CharField(
        label=_("Who needs it"), max_length=50, required=False, help_text=_("Leave empty if it is for you.")
    )
    birth_year = forms.IntegerField(
        label=_("Their year of birth"),
        required=False,
        help_text=_("Only to know whether a guardian must ask for a child under 14."),
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"), max_length=20, widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"})
    )
    guardian_name = forms.CharField(
        label=_("Guardian's name"), max_length=50, required=False, help_text=_("Only when it is for a child under 14.")
    )
    guardian_phone = forms.CharField(
        label=_("Guardian's mobile number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    guardian_relation = forms.CharField(label=_("Guardian's relation"), max_length=20, required=False)
    photo = CheckedFileField(
        kind=PHOTO,
        label=_("A photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        need_type = self.fields["need_type"]
        assert isinstance(need_type, forms.ModelChoiceField)
        need_type.queryset = NeedType.objects.filter(active=True).order_by("order", "name")
        community = self.fields["community"]
        assert isinstance(community, forms.ModelChoiceField)
        community.queryset = communities()


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("This is"),
        choices=[("feedback", _("feedback (意见反馈)")), ("complaint", _("complaint (投诉)"))],
        widget=forms.RadioSelect,
        initial="feedback",
    )
    about = forms.CharField(label=_("Which service or activity"), max_length=200, required=False)
    text = forms.CharField(
        label=_("What you want to tell the station"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
    community = CommunityChoice(label=_("Community"), queryset=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        community = self.fields["community"]
        assert isinstance(community, forms.ModelChoiceField)
        community.queryset = communities()


class AcceptForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Resident in the registry"), queryset=Person.objects.none())
    description = forms.CharField(label=_("Description of the need"), max_length=300, required=False)

    def __init__(self, *args: Any, persons: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = persons


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason the resident will read"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Reply"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
