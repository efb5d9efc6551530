"""What this area contributes to the shared places (core/registry.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import excel, registry
from partners.importers import EnterpriseRegistry, OrganisationRegistry, ResourceRegistry
from partners.member_import import MemberRegistry

registry.menu_item("registries", _("Caring enterprises"), "partners:enterprise_list", order=30)
registry.menu_item("registries", _("Community social organisations"), "partners:organisation_list", order=31)
registry.menu_item("registries", _("Charitable resources ledger"), "partners:ledger", order=32)
registry.demo_seed("partners", "partners.demo.seed", order=40)
excel.register("enterprises")(EnterpriseRegistry)
excel.register("organisations")(OrganisationRegistry)
excel.register("resources")(ResourceRegistry)
excel.register("organisation_members")(MemberRegistry)
registry.demo_seed("partners.incubation", "partners.demo_incubation.seed", order=41)
