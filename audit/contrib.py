"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry
from core.access import Perm

registry.menu_item("organisation", _("Audit log"), "audit:event_list", order=30, perm=Perm.AUDIT_VIEW)
