"""The left menu, by module. Each area adds its entries here; an entry shows
only to roles whose permissions include its `perm`."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import Perm


@dataclass(frozen=True)
class Item:
    label: str | Promise
    url_name: str
    perm: Perm = Perm.VIEW


@dataclass(frozen=True)
class Section:
    label: str | Promise
    items: tuple[Item, ...]


MENU: tuple[Section, ...] = (
    Section(_("Overview"), (Item(_("Home"), "core:home"),)),
    Section(
        _("Registries"),
        (
            Item(_("Residents"), "people:person_list"),
            Item(_("Household files"), "people:household_list"),
            Item(_("Volunteers"), "volunteers:volunteer_list"),
            Item(_("Volunteer teams"), "volunteers:team_list"),
            Item(_("Caring enterprises"), "partners:enterprise_list"),
            Item(_("Community social organisations"), "partners:organisation_list"),
            Item(_("Charitable resources ledger"), "partners:ledger"),
            Item(_("Categories and tags"), "people:tag_list", Perm.CONFIG_MANAGE),
        ),
    ),
    Section(
        _("Grading and follow-up"),
        (
            Item(_("My follow-ups"), "grading:followups"),
            Item(_("Grading board"), "grading:board"),
            Item(_("Monthly visit rate"), "grading:rates"),
            Item(_("Grading rules"), "grading:rules"),
            Item(_("Follow-up policy"), "grading:policy", Perm.CONFIG_MANAGE),
            Item(_("Responsible workers"), "grading:responsible_rules", Perm.STAFF_MANAGE),
        ),
    ),
    Section(
        _("Services"),
        (
            Item(_("Services overview"), "casework:overview"),
            Item(_("Cases"), "casework:case_list"),
            Item(_("Groups"), "casework:group_list"),
            Item(_("Activities"), "casework:activity_list"),
            Item(_("Volunteer hours"), "volunteering:board"),
            Item(_("Needs"), "matching:need_list"),
            Item(_("Needs to classify"), "matching:need_review", Perm.RECORD_EDIT),
            Item(_("Need types"), "matching:type_list", Perm.CONFIG_MANAGE),
            Item(_("Resources"), "matching:offer_list"),
            Item(_("Matching runs"), "matching:run_list"),
            Item(_("Service tasks"), "matching:task_list"),
            Item(_("Micro-wishes"), "matching:wish_list"),
        ),
    ),
    Section(
        pgettext_lazy("menu", "Organisation"),
        (
            Item(_("Units"), "orgs:unit_list"),
            Item(_("Operating agencies"), "orgs:agency_list"),
            Item(_("Staff accounts"), "accounts:staff_list", Perm.STAFF_MANAGE),
            Item(_("Audit log"), "audit:event_list", Perm.AUDIT_VIEW),
        ),
    ),
    Section(
        _("Running the station"),
        (
            Item(_("Dashboard"), "reports:dashboard"),
            Item(_("Reports"), "reports:report_index"),
            Item(_("Service contracts"), "contracts:contract_list"),
            Item(_("Work records"), "workrecords:index"),
            Item(_("Weekly summaries"), "workrecords:summaries"),
            Item(_("Satisfaction"), "workrecords:satisfaction"),
            Item(_("Self-evaluation"), "workrecords:selfeval_list"),
            Item(_("Resource map"), "workrecords:resource_map"),
        ),
    ),
)
