"""What the URL walk needs to know about each area.

The walk (tests/test_scoping_walk.py) calls every URL pattern of the project
and every OpenAPI path as a station lead of station A (the widest role of a
station), with ids of objects that belong to station B, and fails on any answer other than 403/404/405; it
also loads every id-less page and list endpoint and fails if a CANARY string
planted in station B's records shows up.

When you add a URL with a new keyword (``<int:person_id>``), add a line to
KWARGS returning the id of such an object in station B (create it through
`w.tree.station_b`/`w.tree.b1`, with CANARY in its text fields). When you add
a kind of record, add a populator that plants one in station B. Unknown
keywords fail the walk with a message that points here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

CANARY = "LEAKCANARY泄露"


@dataclass
class Walk:
    tree: Any
    insider: Any  # district admin: proves each id is real and reachable
    outsider: Any  # station lead of A: must see nothing of B
    # Whoever of these reaches a URL proves its id real (the district admin
    # cannot read confidential case notes; B's station lead can).
    insiders: tuple[Any, ...] = ()
    cache: dict[str, Any] = field(default_factory=dict)

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]


def _agency(w: Walk) -> Any:
    from orgs.models import OperatingAgency

    def make() -> Any:
        agency = OperatingAgency.objects.create(unit=w.tree.station_b, name=f"{CANARY}机构")
        w.tree.station_b.agency = agency
        w.tree.station_b.save()
        return agency

    return w.once("agency", make)


def staff_b(w: Walk) -> Any:
    from tests.factories import UserFactory

    return w.once(
        "staff_b", lambda: UserFactory(username="canary_b", full_name=CANARY, role="social_worker", unit=w.tree.b1)
    )


def _token_b(w: Walk) -> Any:
    from accounts.models import ApiToken

    return w.once(
        "token_b", lambda: ApiToken.objects.create(user=w.insider, name=CANARY, digest="0" * 64, prefix="ll_x")
    )


def _audit_b(w: Walk) -> Any:
    from audit.services import audit_record

    return w.once(
        "audit_b", lambda: audit_record(actor=w.insider, action="orgunit.update", target=w.tree.b1, note=CANARY)
    )


def person_b(w: Walk) -> Any:
    def make() -> Any:
        from people.models import CategoryType, Household, Person, PersonCategory
        from people.tests.factories import HouseholdFactory, PersonFactory

        hh = cast(Household, HouseholdFactory(unit=w.tree.b1, address=f"{CANARY}路1号"))
        p = cast(Person, PersonFactory(unit=w.tree.b1, name=f"{CANARY}张", household=hh, relation="head", notes=CANARY))
        hh.head = p
        hh.save()
        PersonCategory.objects.create(
            person=p, category=CategoryType.objects.get(code="dibao"), start_date="2020-01-01", evidence=CANARY
        )
        return p

    return w.once("person_b", make)


def _consent_b(w: Walk) -> Any:
    from people.models import Consent

    return w.once(
        "consent_b",
        lambda: Consent.objects.create(
            person=person_b(w), unit=w.tree.b1, purpose=CANARY, given_on="2026-01-01", given_by=CANARY
        ),
    )


def _custom_tag(w: Walk) -> Any:
    from people.models import CategoryType

    return w.once("tag", lambda: CategoryType.objects.create(code="walk-tag", name="巡查标签", group="custom"))


def volunteer_b(w: Walk) -> Any:
    def make() -> Any:
        from volunteers.models import Volunteer, VolunteerTeam
        from volunteers.tests.factories import VolunteerFactory, VolunteerTeamFactory

        team = cast(VolunteerTeam, VolunteerTeamFactory(unit=w.tree.station_b, name=f"{CANARY}队"))
        v = cast(Volunteer, VolunteerFactory(unit=w.tree.b1, name=f"{CANARY}志愿者", skills_note=CANARY))
        v.teams.add(team)
        return v

    return w.once("volunteer_b", make)


def _partners_b(w: Walk) -> Any:
    def make() -> Any:
        from partners.models import Enterprise, EnterpriseOffer, ResourceEntry
        from partners.tests.factories import CommunityOrganisationFactory, EnterpriseFactory

        e = cast(Enterprise, EnterpriseFactory(unit=w.tree.station_b, name=f"{CANARY}企业", address=CANARY))
        offer = EnterpriseOffer.objects.create(enterprise=e, kind="goods", category=CANARY, value=10)
        o = CommunityOrganisationFactory(unit=w.tree.b1, name=f"{CANARY}互助会", leader=CANARY)
        entry = ResourceEntry.objects.create(
            unit=w.tree.station_b,
            direction="in",
            kind="money",
            date="2026-01-01",
            donor=CANARY,
            purpose=CANARY,
            value=100,
        )
        return {"enterprise": e, "offer": offer, "organisation": o, "entry": entry}

    return w.once("partners_b", make)


KWARGS: dict[str, Callable[[Walk], Any]] = {
    "enterprise_id": lambda w: _partners_b(w)["enterprise"].pk,
    "offer_id": lambda w: _partners_b(w)["offer"].pk,
    "organisation_id": lambda w: _partners_b(w)["organisation"].pk,
    "ledger_entry_id": lambda w: _partners_b(w)["entry"].pk,
    "volunteer_id": lambda w: volunteer_b(w).pk,
    "team_id": lambda w: volunteer_b(w).teams.first().pk,
    "person_id": lambda w: person_b(w).pk,
    "household_id": lambda w: person_b(w).household_id,
    "held_id": lambda w: person_b(w).categories.first().pk,
    "consent_id": lambda w: _consent_b(w).pk,
    "tag_id": lambda w: _custom_tag(w).pk,
    "unit_id": lambda w: w.tree.b1.pk,
    "parent_id": lambda w: w.tree.station_b.pk,
    "agency_id": lambda w: _agency(w).pk,
    "user_id": lambda w: staff_b(w).pk,
    "token_id": lambda w: _token_b(w).pk,
}

POPULATORS: list[Callable[[Walk], Any]] = [_agency, staff_b, _token_b, _audit_b]
POPULATORS.append(person_b)  # registries (issue 3)
POPULATORS.append(volunteer_b)
POPULATORS.append(_partners_b)

# URL names whose pages are deliberately the same for everyone (no records).
PUBLIC_OR_SELF: set[str] = {
    "accounts:login",
    "accounts:logout",
    "accounts:password_change",
    "accounts:otp_verify",
    "accounts:totp_setup",
    "accounts:security",
    "accounts:token_create",
    "set_language",
    "healthz",
    "healthz_live",
    "healthz_ready",
}
# Kwarg-bearing URLs that act only on the caller's own records.
SELF_ONLY: set[str] = {"accounts:token_revoke"}


def _discover_area_walks() -> None:
    """Each area adds its own keywords and populators in <area>/tests/walk.py
    (work records, contracts, reports, grading, services, matching…), found
    here by name in INSTALLED_APPS order: the areas' walks import the helpers
    above, so importing them statically would make a circle."""
    from importlib import import_module

    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        tests = f"{config.name}.tests"
        if module_has_submodule(config.module, "tests") and module_has_submodule(import_module(tests), "walk"):
            walk = import_module(f"{tests}.walk")
            # A URL keyword names one kind of record: two areas using the same
            # keyword for different records would walk one with the other's id.
            taken = set(KWARGS) & set(walk.kwargs())
            assert not taken, f"{tests}.walk redefines URL keywords {sorted(taken)}: name them after their record"
            KWARGS.update(walk.kwargs())
            POPULATORS.extend(walk.populators())


_discover_area_walks()
PUBLIC_OR_SELF.add("wishes_public:list")  # public by design; shows masked names only (tested)
PUBLIC_OR_SELF.add("signin_public:page")  # public by design: an activity's signed link, no personal data (tested)
