"""The one set of date and time widgets.

Browsers accept only ISO values in ``<input type="date">`` (``2026-12-01``)
and ``type="datetime-local"`` (``2026-12-01T09:30``); a localised value such
as ``2026/12/01`` is shown empty and then posted back empty, silently erasing
the field. Every form uses these widgets (``tests/test_form_walk.py`` checks),
and ``linli/formats`` puts the ISO spelling first for every language as a
second line of defence.
"""

from __future__ import annotations

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATETIME)
