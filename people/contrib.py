"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core import excel, registry
from core.access import Perm
from people.importers import PeopleRegistry


def residents(user: Any) -> int:
    from people.selectors import persons_visible

    return persons_visible(user).filter(is_active=True).count()


registry.home_counter(_("Residents on file"), residents, order=10, url_name="people:person_list")
registry.menu_item("registries", _("Residents"), "people:person_list", order=10)
registry.menu_item("registries", _("Household files"), "people:household_list", order=11)
registry.menu_item("registries", _("Possible duplicates"), "people:duplicate_list", order=12, perm=Perm.RECORD_EDIT)
registry.menu_item(
    "registries", _("Reassign a leaving worker"), "people:workload_staff", order=13, perm=Perm.RECORD_MERGE
)
registry.demo_seed("people", "people.demo.seed", order=20)  # residents in the communities orgs created
registry.demo_seed("people_duplicates", "people.hygiene.demo.seed", order=21)  # pairs for the duplicate finder
excel.register("people")(PeopleRegistry)
