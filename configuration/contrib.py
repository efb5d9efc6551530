"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry
from core.access import Perm

# The district's settings: every catalogue and the assessment instruments.
registry.menu_item("organisation", _("Configuration"), "configuration:index", order=13, perm=Perm.VIEW)
