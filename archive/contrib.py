"""What the archive contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry

registry.menu_item("station", _("Archive"), "archive:documents", order=37)
registry.demo_seed("archive", "archive.demo.seed", order=90)
