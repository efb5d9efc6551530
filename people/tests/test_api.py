from __future__ import annotations

import datetime as dt

import pytest

from core import identity
from partners.tests.factories import EnterpriseFactory
from people.models import Person
from people.tests.factories import PersonFactory, person_with_category
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db
RID = identity.make_resident_id("350502", dt.date(1940, 5, 6), 11, "M")


def test_it_lists_people_scoped_with_masked_ids_and_filters(tree, worker, outsider, as_user):
    c = as_user(worker)
    r = c.post(
        "/api/v1/people",
        {"unit_id": tree.a1.pk, "name": "张三", "resident_id": RID},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["resident_id"] == "3505**********" + RID[-4:] and body["sex"] == "M"
    person_with_category(tree.a1, "dibao", name="李四")
    PersonFactory(unit=tree.b1, name="王五")
    r = c.get("/api/v1/people", {"q": "zs"})
    assert [p["name"] for p in r.json()["items"]] == ["张三"]
    r = c.get("/api/v1/people", {"category": "dibao"})
    assert [p["name"] for p in r.json()["items"]] == ["李四"]
    r = c.get("/api/v1/people", {"page_size": 1, "page": 2})
    assert r.json()["count"] == 2 and r.json()["pages"] == 2 and len(r.json()["items"]) == 1
    assert RID not in c.get("/api/v1/people").content.decode()
    other = Person.objects.get(name="王五")
    assert c.get(f"/api/v1/people/{other.pk}").status_code == 404
    assert c.patch(f"/api/v1/people/{other.pk}", {"name": "x"}, content_type="application/json").status_code == 404


def test_it_answers_422_with_field_errors_in_chinese(tree, worker, as_user):
    c = as_user(worker)
    r = c.post(
        "/api/v1/people",
        {"unit_id": tree.a1.pk, "name": "张三", "resident_id": RID[:-1] + ("1" if RID[-1] != "1" else "2")},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert r.status_code == 422 and "resident_id" in r.json()["errors"]
    r = c.post("/api/v1/people", {"unit_id": tree.a1.pk}, content_type="application/json")
    assert r.status_code == 422
    p = PersonFactory(unit=tree.a1)
    r = c.patch(f"/api/v1/people/{p.pk}", {"phone": "12345"}, content_type="application/json")
    assert r.status_code == 422 and "phone" in r.json()["errors"]
    assert not Person.objects.exclude(pk=p.pk).exists()


def test_it_creates_households_volunteers_and_partners(tree, worker, as_user):
    c = as_user(worker)
    r = c.post("/api/v1/households", {"unit_id": tree.a1.pk, "address": "幸福路1号"}, content_type="application/json")
    assert r.status_code == 201
    r = c.post(
        "/api/v1/volunteers",
        {
            "unit_id": tree.a1.pk,
            "name": "陈志愿",
            "sex": "F",
            "birth_date": "1990-01-01",
            "skills": ["escort"],
            "availability": {"sat": ["am"]},
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["skills"] == ["escort"]
    vid = r.json()["id"]
    r = c.patch(f"/api/v1/volunteers/{vid}", {"availability": {"fun": ["am"]}}, content_type="application/json")
    assert r.status_code == 422
    r = c.post(
        "/api/v1/enterprises",
        {"unit_id": tree.station_a.pk, "name": "爱心超市", "credit_code": "91350100M000100Y42"},
        content_type="application/json",
    )
    assert r.status_code == 422 and "credit_code" in r.json()["errors"]
    r = c.post(
        "/api/v1/resources",
        {
            "unit_id": tree.station_a.pk,
            "direction": "in",
            "kind": "money",
            "date": "2026-01-01",
            "donor": "某人",
            "purpose": "慰问",
            "value": "100.00",
        },
        content_type="application/json",
    )
    assert r.status_code == 201
    r = c.post(
        "/api/v1/organisations",
        {"unit_id": tree.a1.pk, "name": "互助会", "members": 10, "party_members": 3, "domain": "elderly"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["domain"] == "elderly"


def test_it_hides_other_stations_volunteers_and_enterprises(tree, worker, as_user):
    v = VolunteerFactory(unit=tree.b1)
    e = EnterpriseFactory(unit=tree.station_b)
    c = as_user(worker)
    assert c.get(f"/api/v1/volunteers/{v.pk}").status_code == 404
    assert c.get(f"/api/v1/enterprises/{e.pk}").status_code == 404
    assert c.get("/api/v1/volunteers").json()["count"] == 0
