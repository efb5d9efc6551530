"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import registry
from partybuilding.todo import overdue_commitments

registry.menu_section("party", _("Party-building"), order=45)
registry.menu_item("party", _("Party-building figures"), "partybuilding:index", order=10)
registry.menu_item("party", _("Party organisations"), "partybuilding:organisations", order=20)
registry.menu_item("party", _("Co-building agreements"), "partybuilding:agreements", order=30)
registry.todo_item("partybuilding.overdue", _("Co-building commitments overdue"), overdue_commitments, order=77)
registry.demo_seed("partybuilding", "partybuilding.demo.seed", order=85)  # after activities and volunteer records
