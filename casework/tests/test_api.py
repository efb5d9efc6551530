from __future__ import annotations

import datetime as dt

import pytest

from casework.services import case_note_add
from casework.tests.factories import case_in_intervention, open_case
from people.tests.factories import PersonFactory
from volunteers.tests.factories import VolunteerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
API = "/api/v1"


def test_it_opens_and_moves_a_case(tree, worker, lead, as_user):
    person = PersonFactory(unit=tree.a1)
    c = as_user(worker)
    r = c.post(
        f"{API}/cases",
        {"person_id": person.pk, "domain": "elderly", "title": "失能老人照护"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    case = r.json()
    assert case["stage"] == "intake" and case["number"].startswith("ELD-0001-")
    r = c.post(f"{API}/cases/{case['id']}/moves", {"action": "assess"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["stage"] == "assessment"
    r = c.post(
        f"{API}/cases/{case['id']}/moves",
        {"action": "evaluate"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert r.status_code == 422
    assert "评估须在介入之后进行" in r.json()["errors"]["action"][0]
    assert [x["id"] for x in c.get(f"{API}/cases?stage=assessment").json()] == [case["id"]]


def test_it_refuses_bad_case_input(tree, worker, as_user):
    person = PersonFactory(unit=tree.a1)
    c = as_user(worker)
    r = c.post(
        f"{API}/cases", {"person_id": person.pk, "domain": "nope", "title": "x"}, content_type="application/json"
    )
    assert r.status_code == 422 and "domain" in r.json()["errors"]
    r = c.post(
        f"{API}/cases", {"person_id": person.pk, "domain": "elderly", "title": ""}, content_type="application/json"
    )
    assert r.status_code == 422
    assert not person.cases.exists()


def test_it_keeps_case_notes_confidential(tree, worker, colleague, lead, outsider, as_user):
    case = open_case(worker, unit=tree.a1)
    case_note_add(actor=worker, case=case, text="保密")
    url = f"{API}/cases/{case.pk}/notes"
    assert [n["text"] for n in as_user(worker).get(url).json()] == ["保密"]
    assert as_user(lead).get(url).status_code == 200
    assert as_user(colleague).get(url).status_code == 403
    assert as_user(outsider).get(url).status_code == 404
    assert as_user(colleague).post(url, {"text": "x"}, content_type="application/json").status_code == 403


def test_it_logs_services_through_the_api(tree, worker, lead, as_user):
    case = case_in_intervention(worker, lead, unit=tree.a1)
    c = as_user(worker)
    r = c.post(
        f"{API}/cases/{case.pk}/services",
        {"date": "2026-11-20", "description": "上门理发", "minutes": 30},
        content_type="application/json",
    )
    assert r.status_code == 201
    assert [s["description"] for s in c.get(f"{API}/cases/{case.pk}/services").json()] == ["上门理发"]
    counts = c.get(f"{API}/service-counts?start=2026-11-01&end=2026-11-30").json()
    assert counts["breakdown"]["cases"] == 1 and counts["persons_served"] == 1
    assert c.get(f"{API}/service-counts?start=2026-11-30&end=2026-11-01").status_code == 422


def test_it_creates_activities_and_lists_groups(tree, worker, as_user):
    c = as_user(worker)
    r = c.post(
        f"{API}/activities",
        {
            "unit_id": tree.station_a.pk,
            "title": "防诈骗讲座",
            "domain": "governance",
            "venue": "社区会议室",
            "starts_at": "2026-11-20T14:00:00+08:00",
            "ends_at": "2026-11-20T16:00:00+08:00",
            "organiser": "社工站",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    aid = r.json()["id"]
    assert c.get(f"{API}/activities/{aid}").json()["title"] == "防诈骗讲座"
    assert c.get(f"{API}/activities/{aid}/counts").json()["person_times"] == 0
    r = c.post(
        f"{API}/activities",
        {
            "unit_id": tree.station_b.pk,
            "title": "x",
            "domain": "governance",
            "venue": "y",
            "starts_at": "2026-11-20T14:00:00+08:00",
            "ends_at": "2026-11-20T16:00:00+08:00",
            "organiser": "z",
        },
        content_type="application/json",
    )
    assert r.status_code == 404
    assert c.get(f"{API}/groups").json() == []


def test_it_records_volunteer_service_and_reports_hours(tree, worker, outsider, as_user):
    v = VolunteerFactory(unit=tree.a1)
    c = as_user(worker)
    url = f"{API}/volunteering/{v.pk}/records"
    r = c.post(url, {"activity_name": "助餐", "date": "2026-11-20", "hours": "3.5"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["late"] is False
    r = c.post(url, {"activity_name": "助餐", "date": "2026-11-20", "hours": "25"}, content_type="application/json")
    assert r.status_code == 422
    r = c.post(
        url,
        {"activity_name": "助餐", "date": (dt.date(2026, 11, 24)).isoformat(), "hours": "2"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert r.status_code == 422 and r.json()["errors"]["date"] == ["服务日期不能晚于今天。"]
    assert c.get(f"{API}/volunteering/{v.pk}/hours").json() == {
        "volunteer_id": v.pk,
        "hours": "3.5",
        "stars": 0,
        "hours_to_next_star": "96.5",
    }
    assert as_user(outsider).get(url).status_code == 404
