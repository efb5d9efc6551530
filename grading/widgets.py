"""The visit form's widgets for the phone: camera photos (photo.js), a
signature pad (signature.js) and the location check-in (checkin.js). Each
draws plain inputs with data-* markers, so the scripts work inside any form:
a page, an htmx row form, or the offline app's copy of the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core import uploads
from core.uploads import CheckedFileField


class PhotoInput(forms.ClearableFileInput):
    """Several photos at once, from the camera or the gallery."""

    allow_multiple_selected = True
    template_name = "grading/widgets/photos.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"accept": "image/*", "capture": "environment", "data-photo": ""}
        super().__init__({**base, **(attrs or {})})


class PhotosField(CheckedFileField):
    """A list of uploads (empty when none), each checked as a photo by
    core.uploads here and again by the service."""

    widget = PhotoInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(kind=uploads.PHOTO, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        one = super().clean
        if isinstance(data, (list, tuple)):
            return [one(d, initial) for d in data if d]
        return [one(data, initial)] if data else []


class SignatureWidget(forms.Widget):
    """A canvas to sign on and the hidden input that carries its PNG."""

    template_name = "grading/widgets/signature.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["clear_label"] = _("Clear")
        context["hint"] = _("Sign here with a finger")
        return context

    def format_value(self, value: Any) -> str:
        return value if isinstance(value, str) and value.startswith("data:image/png;base64,") else ""


class CheckinWidget(forms.CheckboxInput):
    """The consent checkbox with the button that asks the phone for its position."""

    template_name = "grading/widgets/checkin.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, {**(attrs or {}), "data-checkin-consent": ""})
        context.update(
            consent_label=_("The resident agreed to record where this visit took place"),
            button_label=_("Check in here"),
            need_consent=_("Tick the resident's consent first."),
            failed=_("The phone could not find its position; the visit can be saved without it."),
            done=_("Checked in at {lat}, {lon} (±{acc} m)."),
        )
        return context
