from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import override_settings

from contracts.tests.factories import contract_for, target
from reports.models import ReportJob

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 5, 20, 4, tzinfo=dt.UTC)


def _hours(tree):
    from volunteering.models import ServiceRecord
    from volunteers.tests.factories import VolunteerFactory

    ServiceRecord.objects.create(
        volunteer=VolunteerFactory(unit=tree.a1), unit=tree.a1, activity_name="助老", date=dt.date(2026, 4, 2), hours=3
    )


def test_it_serves_dashboard_figures_in_scope(as_user, lead, outsider, tree):
    _hours(tree)
    with time_machine.travel(NOW):
        body = as_user(lead).get(f"/api/v1/dashboard/{tree.station_a.pk}").json()
        assert as_user(outsider).get(f"/api/v1/dashboard/{tree.station_a.pk}").status_code == 404
    own, *communities = body["rows"]
    assert own["own_level"] and own["unit_id"] == tree.station_a.pk
    assert [r["name"] for r in communities] == [tree.a1.name, tree.a2.name]
    assert not any(r["own_level"] for r in communities)
    assert Decimal(body["totals"]["volunteer_hours"]) == 3
    assert any(c["id"] == "chart-cards" for c in body["charts"])


def test_it_serves_contract_progress(as_user, lead, outsider, tree):
    _hours(tree)
    contract = contract_for([tree.station_a, tree.station_b], unit=tree.district)
    target(contract, tree.station_a, "volunteer_hours", 365)
    with time_machine.travel(NOW):
        body = as_user(lead).get(f"/api/v1/contracts/{contract.pk}/progress", {"period": "quarter"}).json()
        bad = as_user(lead).get(f"/api/v1/contracts/{contract.pk}/progress", {"period": "decade"})
    assert [s["name"] for s in body["stations"]] == [tree.station_a.name]  # station B is not the lead's
    cell = body["stations"][0]["cells"][0]
    assert cell["kpi"] == "volunteer_hours" and Decimal(cell["actual"]) == 3 and cell["behind"] is True
    assert bad.status_code == 422
    only_a = contract_for([tree.station_a], unit=tree.district, name="甲站专项")
    assert as_user(outsider).get(f"/api/v1/contracts/{only_a.pk}/progress").status_code == 404
    assert [c["name"] for c in as_user(outsider).get("/api/v1/contracts").json()] == [contract.name]


def test_it_generates_reports_and_refuses_other_stations(
    as_user, lead, tree, tmp_path, django_capture_on_commit_callbacks
):
    with override_settings(MEDIA_ROOT=tmp_path), time_machine.travel(NOW):
        with django_capture_on_commit_callbacks(execute=True):
            resp = as_user(lead).post(
                "/api/v1/reports",
                {"unit_id": tree.station_a.pk, "period_kind": "quarter", "day": "2026-04-01", "fmt": "xlsx"},
                content_type="application/json",
            )
        assert resp.status_code == 201
        job = as_user(lead).get(f"/api/v1/reports/{resp.json()['id']}").json()
        assert job["status"] == "done" and job["download_url"]
        out = as_user(lead).post(
            "/api/v1/reports",
            {"unit_id": tree.station_b.pk, "period_kind": "quarter", "day": "2026-04-01", "fmt": "pdf"},
            content_type="application/json",
        )
        assert out.status_code == 404
        future = as_user(lead).post(
            "/api/v1/reports",
            {"unit_id": tree.station_a.pk, "period_kind": "year", "day": "2027-04-01", "fmt": "pdf"},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert future.status_code == 422 and future.json()["errors"]["day"] == ["该期间尚未开始。"]
    assert ReportJob.objects.count() == 1
