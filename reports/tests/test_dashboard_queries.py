"""A dashboard costs the same queries however many stations it compares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.actuals import KPI_CODES
from contracts.tests.factories import contract_for, target
from core.roles import Level
from tests.factories import unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rollup_checked_every_time(monkeypatch):
    """The rollups' verdict is reused for a moment; counted queries must not
    depend on how long a test took."""
    from contracts import rollup

    monkeypatch.setattr(rollup, "CHECK_SECONDS", -1.0)
    monkeypatch.setattr(rollup, "REUSE_SECONDS", -1.0)
    rollup.forget()
    yield
    rollup.forget()


NOW = dt.datetime(2026, 5, 20, 4, tzinfo=dt.UTC)


def _busy(station, community):
    """A station with a community, records at both levels and a target for every KPI."""
    from grading.models import PersonGrade, Visit
    from partners.models import ResourceEntry
    from partners.tests.factories import CommunityOrganisationFactory
    from people.tests.factories import PersonFactory
    from volunteering.models import ServiceRecord
    from volunteers.tests.factories import VolunteerFactory

    person = PersonFactory(unit=community)
    PersonGrade.objects.create(person=person, unit=community, card="red", graded_at=NOW)
    Visit.objects.create(person=person, unit=community, visited_on=dt.date(2026, 3, 2))
    ServiceRecord.objects.create(
        volunteer=VolunteerFactory(unit=community),
        unit=community,
        activity_name="助老",
        date=dt.date(2026, 4, 2),
        hours=3,
    )
    ResourceEntry.objects.create(
        unit=station, direction="in", kind="money", date=dt.date(2026, 2, 1), purpose="助学", value=Decimal(500)
    )
    CommunityOrganisationFactory(unit=community, members=12, party_members=2)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx, time_machine.travel(NOW):
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _stations(tree, contract, upto):
    """Stations 3 … `upto` beside the tree's two, each busy and with targets."""
    for n in range(3, upto + 1):
        station = unit(Level.STATION, tree.district, f"第{n}街道社工站", f"35050200{n}000")
        community = unit(Level.COMMUNITY, station, f"第{n}社区", f"35050200{n}001")
        contract.stations.add(station)
        _busy(station, community)
        for code in KPI_CODES:
            target(contract, station, code, 100)


def _district(tree):
    contract = contract_for([tree.station_a, tree.station_b], unit=tree.district)
    for station, community in [(tree.station_a, tree.a1), (tree.station_b, tree.b1)]:
        _busy(station, community)
        for code in KPI_CODES:
            target(contract, station, code, 100)
    return contract


def _report_queries(unit_):
    from reports.builder import collect

    with CaptureQueriesContext(connection) as ctx, time_machine.travel(NOW):
        collect(unit_, "month", dt.date(2026, 4, 1))
    return len(ctx.captured_queries)


def test_it_counts_the_district_dashboard_and_monthly_report_in_queries_flat_in_stations_and_data(tree, admin, as_user):
    contract = _district(tree)
    client = as_user(admin)
    url = reverse("reports:dashboard_unit", args=[tree.district.pk])
    _queries(client, url)  # warm up sessions, translations, the KPI catalogue (at the same moment)
    two, report_two = _queries(client, url), _report_queries(tree.district)
    _stations(tree, contract, 6)
    six, report_six = _queries(client, url), _report_queries(tree.district)
    assert six == two, f"{two} queries with 2 stations, {six} with 6"
    assert report_six == report_two, f"monthly report: {report_two} queries with 2 stations, {report_six} with 6"
    for station, community in [(tree.station_a, tree.a1), (tree.station_b, tree.b1)] * 3:
        _busy(station, community)  # more records, same units
    assert _queries(client, url) == two
    assert _report_queries(tree.district) == report_two
    assert two <= 40, two
    # One grouped query per figure (case conferences: the 41st), and the Party
    # hours' look at the service rollup (re-counted here on every call).
    assert report_two <= 42, report_two


def test_it_reads_visits_and_hours_per_month_without_a_date_function(tree, admin, as_user):
    from contracts import rollup

    _district(tree)
    client = as_user(admin)
    url = reverse("reports:dashboard_unit", args=[tree.district.pk])
    for built in (False, True):
        if built:
            rollup.refresh()
        rollup.forget()
        with CaptureQueriesContext(connection) as ctx, time_machine.travel(NOW):
            page = client.get(url)
        sql = " ".join(q["sql"].lower() for q in ctx.captured_queries)
        assert "date_trunc" not in sql and "strftime" not in sql
        assert ("contracts_visitdayrollup" in sql) == built
        services = next(c for c in page.context["data"]["charts"] if c["id"] == "chart-services")
        assert services["series"][0]["data"][2] == 2  # the two visits of March 2026
    rollup.forget()


def test_it_reuses_the_dashboard_until_a_record_is_written_or_the_rollup_rebuilt(tree, worker, as_user, settings):
    from django.core.cache import cache

    from contracts import rollup
    from grading.models import PersonGrade
    from grading.services.visits import visit_log
    from people.tests.factories import PersonFactory

    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    person = PersonFactory(unit=tree.a1)
    PersonGrade.objects.create(person=person, unit=tree.a1, card="red", graded_at=NOW)
    client = as_user(worker)
    url = reverse("reports:dashboard_unit", args=[tree.station_a.pk])

    def visits_in_may(page):
        services = next(c for c in page.context["data"]["charts"] if c["id"] == "chart-services")
        return services["series"][0]["data"][4]

    with time_machine.travel(NOW):
        first = client.get(url)
        assert visits_in_may(first) == 0
        with CaptureQueriesContext(connection) as ctx:
            again = client.get(url)
        assert (
            again.context["body"] == first.context["body"] and len(ctx.captured_queries) < 12
        )  # nothing counted again
        visit_log(actor=worker, person=person, visited_on=dt.date(2026, 5, 19))
        assert visits_in_may(client.get(url)) == 1  # a write changes the version: counted afresh
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        cached = len(ctx.captured_queries)
        rollup.refresh()
        with CaptureQueriesContext(connection) as ctx:
            assert visits_in_may(client.get(url)) == 1
        assert len(ctx.captured_queries) > cached  # a rebuild changes the version too
        other = as_user(tree_user(tree.station_b))
        assert visits_in_may(other.get(reverse("reports:dashboard_unit", args=[tree.station_b.pk]))) == 0
    rollup.forget()


def tree_user(unit_):
    from tests.factories import UserFactory

    return UserFactory(username=f"sw_{unit_.pk}", role="social_worker", unit=unit_)
