"""For each retirable catalogue: the page whose new-record form offers its
values, and a record holding an entry (with the page that shows it). The
catalogue walk (test_catalogue_walk.py) refuses a retirable catalogue
without a probe, so a new catalogue is tested from the day it is declared."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class Probe:
    new_form: Callable[[Any, Any], str]  # (tree, admin) → the address of a form making a new record
    field: str  # the form's input offering the catalogue ("" when each entry is an input named by its code)
    record: Callable[[Any, Any, Any], str]  # (entry, tree, admin) → the address of a record holding the entry

    def offers(self, choices: dict[str, set[str]], entry: Any) -> bool:
        if not self.field:
            return entry.code in choices
        return str(entry.pk) in choices.get(self.field, set())


def _person(tree: Any) -> Any:
    from people.tests.factories import PersonFactory

    return PersonFactory(unit=tree.a1)


def _case(entry: Any, tree: Any, admin: Any) -> str:
    from casework.tests.factories import open_case

    return reverse("casework:case_detail", args=[open_case(admin, unit=tree.a1, domain=entry).pk])


def _volunteer(entry: Any, tree: Any, admin: Any) -> str:
    from volunteers.tests.factories import VolunteerFactory

    volunteer: Any = VolunteerFactory(unit=tree.a1)
    volunteer.skills.add(entry)
    return reverse("volunteers:volunteer_detail", args=[volunteer.pk])


def _need(entry: Any, tree: Any, admin: Any) -> str:
    from matching.tests.factories import need_for

    return reverse("matching:need_detail", args=[need_for(tree.a1, code=entry.code).pk])


def _held(entry: Any, tree: Any, admin: Any) -> str:
    from people.models import PersonCategory

    person = _person(tree)
    PersonCategory.objects.create(person=person, category=entry, start_date=dt.date(2026, 1, 5))
    return reverse("people:person_detail", args=[person.pk])


def _contract(tree: Any, name: str = "2026年社工站运营服务") -> Any:
    from contracts.tests.factories import contract_for

    return contract_for([tree.station_a], unit=tree.district, name=name)


def _targets_form(tree: Any, admin: Any) -> str:
    contract = _contract(tree)
    return reverse("contracts:targets_edit", args=[contract.pk, tree.station_a.pk])


def _target(entry: Any, tree: Any, admin: Any) -> str:
    from contracts.models import KpiTarget

    contract = _contract(tree, "2025年社工站运营服务")  # not the one whose targets form offers new KPIs
    KpiTarget.objects.create(contract=contract, unit=tree.station_a, kpi=entry, target=Decimal("12"))
    return reverse("contracts:contract_detail", args=[contract.pk])


def _profile(entry: Any, tree: Any, admin: Any) -> str:
    from orgs.models import CommunityProfile

    profile, _ = CommunityProfile.objects.get_or_create(unit=tree.a1)
    profile.traits.add(entry)
    return reverse("orgs:unit_detail", args=[tree.a1.pk])


PROBES: dict[str, Probe] = {
    "domains": Probe(lambda tree, admin: reverse("casework:case_create"), "domain", _case),
    "skills": Probe(lambda tree, admin: reverse("volunteers:volunteer_create"), "skills", _volunteer),
    "need_types": Probe(lambda tree, admin: reverse("matching:need_create"), "need_type", _need),
    "categories": Probe(lambda tree, admin: reverse("people:category_add", args=[_person(tree).pk]), "category", _held),
    "tags": Probe(lambda tree, admin: reverse("people:person_list"), "tag-tag", _held),
    "kpis": Probe(_targets_form, "", _target),
    "traits": Probe(lambda tree, admin: reverse("orgs:profile_edit", args=[tree.a2.pk]), "traits", _profile),
}
