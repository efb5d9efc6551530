"""Schema (pydantic) errors in the user's language. The shape of each error
stays as ninja reports it (type, loc, msg, ctx); only `msg` is translated for
the common cases, so clients can still switch on `type`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _


def _ctx(error: dict[str, Any], key: str) -> Any:
    return (error.get("ctx") or {}).get(key, "")


_MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda e: _("This field is required."),
    "int_parsing": lambda e: _("Enter a whole number."),
    "int_type": lambda e: _("Enter a whole number."),
    "decimal_parsing": lambda e: _("Enter a number."),
    "float_parsing": lambda e: _("Enter a number."),
    "bool_parsing": lambda e: _("Enter yes or no."),
    "date_from_datetime_parsing": lambda e: _("Enter a valid date (YYYY-MM-DD)."),
    "date_parsing": lambda e: _("Enter a valid date (YYYY-MM-DD)."),
    "datetime_parsing": lambda e: _("Enter a valid date and time."),
    "string_type": lambda e: _("Enter text."),
    "string_too_short": lambda e: _("Enter at least %(n)s characters.") % {"n": _ctx(e, "min_length")},
    "string_too_long": lambda e: _("Enter at most %(n)s characters.") % {"n": _ctx(e, "max_length")},
    "string_pattern_mismatch": lambda e: _("Enter a value in the expected format."),
    "greater_than_equal": lambda e: _("Enter a value of at least %(n)s.") % {"n": _ctx(e, "ge")},
    "less_than_equal": lambda e: _("Enter a value of at most %(n)s.") % {"n": _ctx(e, "le")},
    "greater_than": lambda e: _("Enter a value greater than %(n)s.") % {"n": _ctx(e, "gt")},
    "less_than": lambda e: _("Enter a value less than %(n)s.") % {"n": _ctx(e, "lt")},
    "enum": lambda e: _("Choose one of the allowed values."),
    "literal_error": lambda e: _("Choose one of the allowed values."),
    "json_invalid": lambda e: _("The request body is not valid JSON."),
    "null_refused": lambda e: _("Leave this field out or give it a value; it cannot be null."),
    "model_type": lambda e: _("The request body must be a JSON object."),
    "model_attributes_type": lambda e: _("The request body must be a JSON object."),
    "dict_type": lambda e: _("Enter an object of names and values."),
    "list_type": lambda e: _("Enter a list."),
    "too_short": lambda e: _("Enter at least %(n)s items.") % {"n": _ctx(e, "min_length")},
    "too_long": lambda e: _("Enter at most %(n)s items.") % {"n": _ctx(e, "max_length")},
    "bool_type": lambda e: _("Enter yes or no."),
    "int_from_float": lambda e: _("Enter a whole number."),
    "int_parsing_size": lambda e: _("Enter a whole number."),
    "float_type": lambda e: _("Enter a number."),
    "decimal_type": lambda e: _("Enter a number."),
    "finite_number": lambda e: _("Enter a number."),
    "decimal_max_digits": lambda e: _("Enter at most %(n)s digits.") % {"n": _ctx(e, "max_digits")},
    "decimal_max_places": lambda e: _("Enter at most %(n)s decimal places.") % {"n": _ctx(e, "decimal_places")},
    "decimal_whole_digits": lambda e: _("Enter a smaller number."),
    "date_type": lambda e: _("Enter a valid date (YYYY-MM-DD)."),
    "date_from_datetime_inexact": lambda e: _("Enter a valid date (YYYY-MM-DD)."),
    "datetime_type": lambda e: _("Enter a valid date and time."),
    "datetime_from_date_parsing": lambda e: _("Enter a valid date and time."),
}


def translate_schema_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    translated = []
    for error in errors:
        message = _MESSAGES.get(str(error.get("type", "")))
        translated.append({**error, "msg": message(error)} if message else dict(error))
    return translated
