"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import registry
from core.access import Perm
from matching.todo import proposals_to_review, tasks_due, wishes_claimed


def open_needs(user: Any) -> int:
    from matching.selectors import needs_visible

    return needs_visible(user).filter(status="open").count()


registry.home_counter(_("Open needs"), open_needs, order=30, url_name="matching:need_list", query="status=open")
registry.todo_item("matching.tasks", _("Service tasks due"), tasks_due, order=40)
registry.todo_item("matching.wishes", _("Claimed micro-wishes"), wishes_claimed, order=50)
registry.todo_item("matching.proposals", _("Matching proposals"), proposals_to_review, order=80)
registry.menu_item("services", _("Needs"), "matching:need_list", order=30)
registry.menu_item("services", _("Needs to classify"), "matching:need_review", order=31, perm=Perm.RECORD_EDIT)
registry.menu_item("services", _("Resources"), "matching:offer_list", order=33)
registry.menu_item("services", _("Matching runs"), "matching:run_list", order=34)
registry.menu_item("services", _("Service tasks"), "matching:task_list", order=35)
registry.menu_item("services", _("Micro-wishes"), "matching:wish_list", order=36)
registry.demo_seed("matching", "matching.demo.seed", order=60)
