from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import services
from contracts.models import Contract, KpiTarget
from contracts.tests.factories import contract_for, target
from orgs.models import OperatingAgency

pytestmark = pytest.mark.django_db


def _post_contract(client, tree, **over):
    agency, _ = OperatingAgency.objects.get_or_create(unit=tree.district, name="同心社工")
    data = {
        "name": "2026年运营",
        "purchaser": "鲤城区民政局",
        "purchaser_kind": "civil_affairs",
        "agency": agency.pk,
        "start": "2026-01-01",
        "end": "2026-12-31",
        "budget": "800000",
        "stations": [tree.station_a.pk, tree.station_b.pk],
    }
    data.update(over)
    return client.post(reverse("contracts:contract_create"), data, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_it_creates_a_contract_and_sets_targets(as_user, admin, tree):
    resp = _post_contract(as_user(admin), tree)
    contract = Contract.objects.get()
    assert resp.status_code == 302 and set(contract.stations.all()) == {tree.station_a, tree.station_b}
    url = reverse("contracts:targets_edit", args=[contract.pk, tree.station_a.pk])
    resp = as_user(admin).post(url, {"cases": "9", "key_visits": "350", "activities": "100", "person_times": "15700"})
    assert resp.status_code == 302
    assert dict(KpiTarget.objects.values_list("kpi__code", "target")) == {
        "cases": Decimal(9),
        "key_visits": Decimal(350),
        "activities": Decimal(100),
        "person_times": Decimal(15700),
    }


def test_it_refuses_a_period_that_ends_before_it_starts_in_chinese(as_user, admin, tree):
    resp = _post_contract(as_user(admin), tree, start="2026-12-31", end="2026-01-01")
    assert resp.status_code == 200 and "合同结束日期早于开始日期" in resp.content.decode()
    assert not Contract.objects.exists()


def test_it_refuses_a_target_below_zero(as_user, admin, tree):
    contract = contract_for([tree.station_a], unit=tree.district)
    url = reverse("contracts:targets_edit", args=[contract.pk, tree.station_a.pk])
    resp = as_user(admin).post(url, {"cases": "-1", "activities": "5"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert resp.status_code == 200 and "目标不能小于零" in resp.content.decode()
    assert not KpiTarget.objects.exists()
    with pytest.raises(ValidationError) as err:
        services.targets_set(actor=admin, contract=contract, unit=tree.station_a, values={"cases": Decimal(-3)})
    assert "cases" in err.value.message_dict and not KpiTarget.objects.exists()


def test_it_refuses_a_station_outside_the_contract(admin, tree):
    contract = contract_for([tree.station_a], unit=tree.district)
    with pytest.raises(ValidationError):
        services.targets_set(actor=admin, contract=contract, unit=tree.station_b, values={"cases": Decimal(1)})


def test_it_lets_only_contract_managers_write(as_user, lead, viewer, tree):
    assert as_user(lead).get(reverse("contracts:contract_create")).status_code == 403
    contract = contract_for([tree.station_a], unit=tree.district)
    assert (
        as_user(lead).get(reverse("contracts:targets_edit", args=[contract.pk, tree.station_a.pk])).status_code == 403
    )
    assert as_user(viewer).get(reverse("contracts:contract_detail", args=[contract.pk])).status_code == 200


def _records(tree):
    from volunteering.models import ServiceRecord
    from volunteers.tests.factories import VolunteerFactory

    va, vb = VolunteerFactory(unit=tree.a1, name="张志愿"), VolunteerFactory(unit=tree.b1, name="乙志愿")
    ServiceRecord.objects.create(
        volunteer=va, unit=tree.a1, activity_name="助老送餐", date=dt.date(2026, 2, 3), hours=2
    )
    ServiceRecord.objects.create(
        volunteer=vb, unit=tree.b1, activity_name="乙站活动", date=dt.date(2026, 2, 3), hours=80
    )


def test_it_shows_progress_flags_the_laggard_and_drills_to_the_records(as_user, admin, tree):
    _records(tree)
    contract = contract_for([tree.station_a, tree.station_b], unit=tree.district)
    target(contract, tree.station_a, "volunteer_hours", 365)
    target(contract, tree.station_b, "volunteer_hours", 365)
    with time_machine.travel(dt.datetime(2026, 2, 14, 4, tzinfo=dt.UTC)):
        page = as_user(admin).get(reverse("contracts:contract_detail", args=[contract.pk]), {"period": "quarter"})
        html = page.content.decode()
        assert (
            'data-testid="behind"' in html
            and tree.station_a.name in html.split('data-testid="behind"')[1].split("</div>")[0]
        )
        drill = reverse("contracts:kpi_records", args=[contract.pk, tree.station_a.pk, "volunteer_hours"])
        assert drill in html
        records = as_user(admin).get(drill, {"period": "quarter", "date": "2026-01-01"}).content.decode()
    assert "助老送餐" in records and "张志愿" in records and "乙站活动" not in records


def test_it_scopes_contract_pages(as_user, outsider, lead, tree):
    _records(tree)
    contract = contract_for([tree.station_a, tree.station_b], unit=tree.district)
    only_a = contract_for([tree.station_a], unit=tree.district, name="甲站专项")
    target(contract, tree.station_a, "volunteer_hours", 10)
    c = as_user(outsider)
    assert "甲站专项" not in c.get(reverse("contracts:contract_list")).content.decode()
    assert c.get(reverse("contracts:contract_detail", args=[only_a.pk])).status_code == 404
    html = c.get(reverse("contracts:contract_detail", args=[contract.pk])).content.decode()
    assert tree.station_a.name not in html and tree.station_b.name in html
    assert (
        c.get(reverse("contracts:kpi_records", args=[contract.pk, tree.station_a.pk, "volunteer_hours"])).status_code
        == 404
    )
    assert (
        as_user(lead).get(reverse("contracts:kpi_records", args=[contract.pk, tree.station_a.pk, "nope"])).status_code
        == 404
    )


def test_it_updates_a_contract_and_drops_the_targets_of_stations_it_no_longer_covers(admin, tree):
    contract = contract_for([tree.station_a, tree.station_b], unit=tree.district)
    target(contract, tree.station_a, "cases", 9)
    target(contract, tree.station_b, "cases", 5)
    with pytest.raises(ValidationError) as err:
        services.contract_update(actor=admin, contract=contract, end=dt.date(2025, 1, 1))
    assert "end" in err.value.message_dict
    contract.refresh_from_db()
    assert contract.end == dt.date(2026, 12, 31)
    services.contract_update(actor=admin, contract=contract, stations=[tree.station_a], budget=Decimal("900000"))
    contract.refresh_from_db()
    assert contract.budget == Decimal("900000") and list(contract.stations.all()) == [tree.station_a]
    assert list(KpiTarget.objects.values_list("unit_id", flat=True)) == [tree.station_a.pk]
