"""What the custom-fields app contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry
from core.access import Perm

registry.menu_item("organisation", _("Custom fields"), "customfields:field_list", order=50, perm=Perm.CONFIG_MANAGE)
registry.demo_seed("customfields", "customfields.demo.seed", order=15)
