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


def test_it_counts_the_district_dashboard_in_a_fixed_number_of_queries(tree, admin, as_user):
    contract = contract_for([tree.station_a, tree.station_b], unit=tree.district)
    for station, community in [(tree.station_a, tree.a1), (tree.station_b, tree.b1)]:
        _busy(station, community)
        for code in KPI_CODES:
            target(contract, station, code, 100)
    client = as_user(admin)
    url = reverse("reports:dashboard_unit", args=[tree.district.pk])
    _queries(client, url)  # warm up sessions, translations, the KPI catalogue (at the same moment)
    two = _queries(client, url)
    for n in (3, 4):
        station = unit(Level.STATION, tree.district, f"第{n}街道社工站", f"35050200{n}000")
        community = unit(Level.COMMUNITY, station, f"第{n}社区", f"35050200{n}001")
        contract.stations.add(station)
        _busy(station, community)
        for code in KPI_CODES:
            target(contract, station, code, 100)
    four = _queries(client, url)
    assert four == two, f"{two} queries with 2 stations, {four} with 4"
    assert two <= 35, two
