"""The records behind a KPI figure on the list toolkit: paged with the
toolkit's size and jump, the figure's period kept in every link, and as many
queries for many records as for few."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
import time_machine
from django.urls import reverse

from contracts.tests.factories import contract_for
from tests.lists import assert_flat_queries

pytestmark = pytest.mark.django_db


def _service(unit: Any, day: dt.date, name: str = "") -> Any:
    from volunteering.models import ServiceRecord
    from volunteers.models import Volunteer
    from volunteers.tests.factories import VolunteerFactory

    volunteer = cast(Volunteer, VolunteerFactory(unit=unit))
    return ServiceRecord.objects.create(
        volunteer=volunteer, unit=unit, activity_name=name or "助老送餐", date=day, hours=2
    )


@time_machine.travel(dt.datetime(2026, 6, 14, 4, tzinfo=dt.UTC))
def test_it_pages_the_records_newest_first_and_keeps_the_period(
    tree: Any, admin: Any, as_user: Any, settings: Any
) -> None:
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [2, 50], 2
    for i, day in enumerate([dt.date(2026, 2, 3), dt.date(2026, 2, 9), dt.date(2026, 3, 1)]):
        _service(tree.a1, day, f"活动{i}")
    _service(tree.a1, dt.date(2026, 5, 1), "下季度")
    contract = contract_for([tree.station_a], unit=tree.district)
    url = reverse("contracts:kpi_records", args=[contract.pk, tree.station_a.pk, "volunteer_hours"])
    client = as_user(admin)
    first = client.get(url, {"period": "quarter", "date": "2026-01-01"})
    lst = first.context["lst"]
    assert lst.page.paginator.count == 3
    assert [r.activity_name for r in lst.page.object_list] == ["活动2", "活动1"]
    body = first.content.decode()
    assert "period=quarter&amp;date=2026-01-01&amp;page=2" in body and "下季度" not in body
    second = client.get(url, {"period": "quarter", "date": "2026-01-01", "page": 2}).context["lst"]
    assert [r.activity_name for r in second.page.object_list] == ["活动0"]
    oldest = client.get(url, {"period": "quarter", "date": "2026-01-01", "sort": "day"}).context["lst"]
    assert oldest.page.object_list[0].activity_name == "活动0"


@time_machine.travel(dt.datetime(2026, 6, 14, 4, tzinfo=dt.UTC))
def test_it_keeps_the_record_list_queries_flat(tree: Any, admin: Any, as_user: Any, settings: Any) -> None:
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [50], 50
    contract = contract_for([tree.station_a], unit=tree.district)
    url = reverse("contracts:kpi_records", args=[contract.pk, tree.station_a.pk, "volunteer_hours"])
    url += "?period=quarter&date=2026-01-01"
    client = as_user(admin)

    def add(k: int) -> None:
        for _ in range(k):
            _service(tree.a1, dt.date(2026, 2, 3))
        client.get(url)  # new records make the contracts roll-up stale: refresh it outside the count

    assert_flat_queries(client, url, add)


@time_machine.travel(dt.datetime(2026, 6, 14, 4, tzinfo=dt.UTC))
def test_it_shows_a_summed_figure_by_its_parts_without_a_list(tree: Any, admin: Any, as_user: Any) -> None:
    contract = contract_for([tree.station_a], unit=tree.district)
    url = reverse("contracts:kpi_records", args=[contract.pk, tree.station_a.pk, "person_times"])
    response = as_user(admin).get(url, {"period": "quarter", "date": "2026-01-01"})
    assert response.status_code == 200
    assert "lst" not in response.context and 'data-testid="actual"' in response.content.decode()
