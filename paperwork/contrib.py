"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry

registry.menu_item("station", _("Print forms"), "paperwork:batch", order=90)
