"""A page costs the same number of queries however big the district is.

Every page of the left menu (read from core.registry, so a page added later is
covered without touching this file), every other list page without arguments
(a view serving core.lists.list_page) and every record's main page (URL names
ending in `_detail`, plus the few record pages named otherwise) is requested as
the district admin, a station lead and a social worker of the first station, on
a small demo district, then again after the district has grown to twice the
stations and ten times the residents, volunteers and enterprises. Any page
that issues more queries the second time loops over stations or rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from contracts import rollup
from core import registry
from core.access import can

# Marks the module's tests as database tests, so pytest-django sets up the test
# database that the module fixture fills.
pytestmark = pytest.mark.django_db

# The demo seeders' sizes, small and grown: twice the stations, ten times the rows.
SMALL = {"stations": 2, "people": 40, "volunteers": 20, "enterprises": 4}
GROWN = {"stations": 4, "people": 400, "volunteers": 200, "enterprises": 40}
ROLES = ("admin", "lead01", "sw01a")  # district admin; station lead and social worker of station 1

# Record pages that do not end in `_detail`.
RECORD_PAGES = ["grading:person", "casework:person_timeline", "volunteering:records", "reports:dashboard_unit"]
# The record each URL keyword names: a model, and the field that places it in a unit.
KWARG_MODELS: dict[str, tuple[str, str]] = {
    "person_id": ("people.Person", "unit"),
    "household_id": ("people.Household", "unit"),
    "unit_id": ("orgs.OrgUnit", "parent"),
    "volunteer_id": ("volunteers.Volunteer", "unit"),
    "enterprise_id": ("partners.Enterprise", "unit"),
    "organisation_id": ("partners.CommunityOrganisation", "unit"),
    "case_id": ("casework.Case", "unit"),
    "group_id": ("casework.Group", "unit"),
    "activity_id": ("casework.Activity", "unit"),
    "need_id": ("matching.Need", "unit"),
    "run_id": ("matching.MatchRun", "unit"),
    "task_id": ("matching.ServiceTask", "unit"),
    "wish_id": ("matching.Wish", "unit"),
    "contract_id": ("contracts.Contract", "unit"),
    "project_id": ("projects.Project", "unit"),
    "job_id": ("reports.ReportJob", "unit"),
    "evaluation_id": ("workrecords.SelfEvaluation", "unit"),
    "meeting_id": ("workrecords.TeamMeeting", "unit"),
    "summary_id": ("workrecords.WeeklySummary", "unit"),
    "supervision_id": ("workrecords.Supervision", "unit"),
    "entry_id": ("workrecords.ReportingEntry", "unit"),
    "joint_id": ("workrecords.JointMeeting", "unit"),
    "survey_id": ("workrecords.NeedsSurvey", "unit"),
    "satisfaction_id": ("workrecords.SatisfactionSurvey", "unit"),
    "venue_id": ("workrecords.Venue", "unit"),
    "service_record_id": ("volunteering.ServiceRecord", "unit"),
    "agreement_id": ("partybuilding.Agreement", "unit"),
    "visit_id": ("grading.Visit", "unit"),
    "visit_photo_id": ("grading.VisitPhoto", "visit__unit"),
    "room_id": ("venues.Room", "venue__unit"),
    "booking_id": ("venues.Booking", "unit"),
    "season_id": ("venues.Season", "unit"),
    "member_id": ("partners.OrganisationMember", "organisation__unit"),
    "archive_document_id": ("archive.Document", "unit"),
    "help_request_id": ("portal.HelpRequest", "unit"),
    "portal_feedback_id": ("portal.Feedback", "unit"),
    "volunteer_application_id": ("participation.VolunteerApplication", "unit"),
    "volunteer_request_id": ("participation.VolunteerRequest", "unit"),
    "hours_report_id": ("participation.HoursReport", "unit"),
    "wish_claim_id": ("participation.WishClaim", "unit"),
    "enterprise_claim_id": ("participation.EnterpriseClaim", "unit"),
}
# The public portal's own pages answer its signed-in residents, whom this
# walk (signed in as staff) cannot be.
NOT_STAFF = ("portal:",)
# Pages whose count legitimately follows the data, with the reason. Keep it empty.
VARIES: dict[str, str] = {}


def _url_patterns(resolver: Any = None, ns: str = "") -> dict[str, Any]:
    found: dict[str, Any] = {}
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "api":
                continue
            found.update(_url_patterns(p, f"{ns}{p.namespace}:" if p.namespace else ns))
        elif p.name:
            found[f"{ns}{p.name}"] = p
    return found


def _menu_pages() -> list[str]:
    return [item.url_name for section in registry.menu() for item in section.items]


def _record_pages() -> list[str]:
    names = [
        n
        for n, p in _url_patterns().items()
        if n.endswith("_detail") and p.pattern.converters and not n.startswith(NOT_STAFF)
    ]
    return sorted(set(names) | set(RECORD_PAGES))


def _list_pages() -> list[str]:
    """Every list without arguments (a view that serves core.lists.list_page),
    in the menu or opened from another page (the board's residents, say)."""
    import inspect

    names = []
    for name, p in _url_patterns().items():
        if p.pattern.converters or name in _menu_pages():
            continue
        try:
            source = inspect.getsource(inspect.unwrap(p.callback))
        except (OSError, TypeError):
            continue
        if "list_page(" in source:
            names.append(name)
    return sorted(names)


PAGES = [*_menu_pages(), *_list_pages(), *_record_pages()]


def _seed(size: dict[str, int]) -> None:
    """The demo district at `size`; its seeders only add what is missing, so a
    bigger size grows the district already there."""
    from home import demo
    from orgs import demo as orgs_demo
    from partners import demo as partners_demo
    from people import demo as people_demo
    from volunteers import demo as volunteers_demo

    saved = (orgs_demo.STREETS, people_demo.N_PEOPLE, volunteers_demo.N_VOLUNTEERS, partners_demo.N_ENTERPRISES)
    try:
        orgs_demo.STREETS = saved[0][: size["stations"]]
        people_demo.N_PEOPLE = size["people"]
        volunteers_demo.N_VOLUNTEERS = size["volunteers"]
        partners_demo.N_ENTERPRISES = size["enterprises"]
        demo.load()
    finally:
        orgs_demo.STREETS, people_demo.N_PEOPLE, volunteers_demo.N_VOLUNTEERS, partners_demo.N_ENTERPRISES = saved


def _record_id(name: str, station: Any) -> dict[str, Any] | None:
    from core.access import within

    kwargs = {}
    for key in _url_patterns()[name].pattern.converters:
        assert key in KWARG_MODELS, f"{name} takes <{key}>: add its model to KWARG_MODELS in {__file__}"
        label, field = KWARG_MODELS[key]
        model = apps.get_model(label)
        record = model.objects.filter(within(station, field)).order_by("pk").first()
        if record is None:  # a district-level record (a contract, a dashboard of the district)
            record = model.objects.order_by("pk").first()
        if record is None:
            return None
        kwargs[key] = record.pk
    return kwargs


def _plant(district: Any, admin: Any, lead: Any) -> None:
    """One of every kind of record, planted as the URL walk plants them in its
    station B, in a station of their own (the walk expects an empty one): the
    demo seeds no task, report job, survey or self-evaluation."""
    from types import SimpleNamespace

    from core.roles import Level
    from tests.factories import unit
    from tests.leakwalk import POPULATORS, Walk

    station = unit(Level.STATION, district, "巡查街道社工站", "350502090000")
    tree = SimpleNamespace(
        district=district, station_b=station, b1=unit(Level.COMMUNITY, station, "巡查社区", "350502090001")
    )
    walk = Walk(tree=tree, insider=admin, outsider=lead, insiders=(admin, lead))
    for populate in POPULATORS:
        populate(walk)


def _count(client: Client, url: str) -> tuple[int, int, list[str]]:
    """Status, number of queries and their statements (for the failure message)."""
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    return status, len(ctx.captured_queries), [q["sql"] for q in ctx.captured_queries]


def _measure(clients: dict[str, tuple[Any, Client]], urls: dict[str, str], now: Any) -> dict[str, Any]:
    # The clock stands still while counting: a session refreshed once a minute
    # would otherwise add a write to whichever page runs at that moment.
    with time_machine.travel(now, tick=False):
        return _measure_all(clients, urls)


def _measure_all(clients: dict[str, tuple[Any, Client]], urls: dict[str, str]) -> dict[str, Any]:
    out: dict[str, dict[str, tuple[int, int, list[str]]]] = {}
    for name, url in urls.items():
        out[name] = {}
        for role, (user, client) in clients.items():
            item = next((i for s in registry.menu() for i in s.items if i.url_name == name), None)
            if item is not None and not can(user, item.perm):
                continue
            # Warm per-process caches (translations, catalogues) and let a page that
            # refreshes a stale roll-up (contracts) do so outside the count; the
            # roll-ups' verdict is checked afresh in the warm-up, whatever the
            # page before left.
            rollup.forget()
            client.get(url)
            client.get(url)
            out[name][role] = _count(client, url)
    return out


@pytest.fixture(scope="module")
def counts(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """Both measurements of every page, in one district grown in place (and
    rolled back afterwards)."""
    from accounts.models import User
    from orgs.models import OrgUnit

    with django_db_blocker.unblock(), transaction.atomic():
        _seed(SMALL)
        clients = {}
        for username in ROLES:
            user = User.objects.get(username=username)
            client = Client()
            client.force_login(user)
            clients[username] = (user, client)
        station = OrgUnit.objects.get(code="350502001000")
        _plant(station.parent, clients["admin"][0], clients["lead01"][0])
        urls = {name: reverse(name) for name in [*_menu_pages(), *_list_pages()]}
        missing = set()
        for name in _record_pages():
            kwargs = _record_id(name, station)
            if kwargs is None:
                missing.add(name)
            else:
                urls[name] = reverse(name, kwargs=kwargs)
        now = timezone.now()
        small = _measure(clients, urls, now)
        _seed(GROWN)
        grown = _measure(clients, urls, now)
        yield {"small": small, "grown": grown, "missing": missing}
        transaction.set_rollback(True)


@pytest.mark.parametrize("name", PAGES)
def test_it_costs_the_same_queries_with_more_data(name: str, counts: dict[str, Any]) -> None:
    if name in VARIES:
        pytest.skip(VARIES[name])
    if name in counts["missing"]:
        pytest.skip(f"{name}: the demo district seeds none of its records")
    small, grown = counts["small"][name], counts["grown"][name]
    assert small, f"{name}: no role of {ROLES} may open it"
    assert any(status == 200 for status, *_ in small.values()), f"{name}: {small}"
    # Fewer is fine: a page of newest events, say, may hold fewer kinds of record.
    grew = {
        role: (small[role][1], grown[role][1])
        for role in small
        if small[role][0] == 200 and grown[role][1] > small[role][1]
    }
    assert not grew, f"{name}: queries (small → grown) per role: {grew}\n" + "\n".join(
        _added(small[role][2], grown[role][2]) for role in grew
    )


def _added(small: list[str], grown: list[str]) -> str:
    """The statements the grown district's page ran that the small one did not."""
    left = list(small)
    extra = []
    for sql in grown:
        shape = _shape(sql)
        match = next((i for i, s in enumerate(left) if _shape(s) == shape), None)
        if match is None:
            extra.append(sql[:300])
        else:
            del left[match]
    return "added:\n  " + "\n  ".join(extra)


def _shape(sql: str) -> str:
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def test_it_covers_every_menu_page_and_the_main_records() -> None:
    for name in ("casework:case_detail", "people:person_detail", "matching:run_detail", "orgs:unit_detail"):
        assert name in PAGES
    assert set(_menu_pages()) <= set(PAGES)
    assert {"grading:board_people", "grading:rates_unvisited"} <= set(_list_pages())
