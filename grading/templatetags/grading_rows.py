"""`{% followup_row g can_edit %}`: one row of my follow-ups (grading.rows)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from grading.rows import followup_row_html

register = template.Library()


@register.simple_tag
def followup_row(g: Any, can_edit: bool) -> SafeString:
    return followup_row_html(g, can_edit=bool(can_edit))
