"""Rules for the 12-digit statistical division code (统计用区划代码)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.roles import Level

# ASCII digits only: `\d` would also accept full-width and other Unicode
# digits, and `$` a trailing newline.
_CODE = re.compile(r"[0-9]{12}")


def validate_division_code(code: str, level: str, parent_code: str | None) -> None:
    """Raise ValidationError (with a message for the `code` field) unless
    `code` fits its level and parent: county 6 + township 3 (001–399) +
    village 3 (001–399)."""
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise ValidationError({"code": _("The division code must be exactly 12 digits.")})
    township, village = int(code[6:9]), int(code[9:12])
    if level == Level.DISTRICT:
        if code[6:] != "000000":
            raise ValidationError({"code": _("A district code ends in six zeros, e.g. 350502000000.")})
        return
    if level == Level.STATION:
        if not 1 <= township <= 399 or village != 0:
            raise ValidationError(
                {"code": _("A street/township code has digits 7–9 between 001 and 399 and ends in 000.")}
            )
        if parent_code and code[:6] != parent_code[:6]:
            raise ValidationError(
                {
                    "code": _("The first six digits must be the district's code %(prefix)s.")
                    % {"prefix": parent_code[:6]}
                }
            )
        return
    if not 1 <= village <= 399:
        raise ValidationError({"code": _("A community code ends in a number between 001 and 399.")})
    if parent_code and code[:9] != parent_code[:9]:
        raise ValidationError(
            {"code": _("The first nine digits must be the station's code %(prefix)s.") % {"prefix": parent_code[:9]}}
        )


PARENT_LEVEL: dict[str, Level] = {Level.STATION: Level.DISTRICT, Level.COMMUNITY: Level.STATION}
