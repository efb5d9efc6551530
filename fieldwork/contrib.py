"""What the field app contributes to the shared places (core/registry.py):
its entry under the follow-ups, next to "my follow-ups"."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry

registry.menu_item("grading", _("Visits in the field (offline)"), "fieldwork:app", order=18)
