from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from grading.models import Card, PersonGrade, Visit
from grading.tests.factories import full_answers, graded, version

pytestmark = pytest.mark.django_db


def test_it_lists_followups_cards_and_history_in_scope(tree: Any, worker: Any, as_user: Any) -> None:
    mine = graded(tree.a1, Card.RED, next_due=dt.date.today() - dt.timedelta(days=2))
    graded(tree.b1, Card.RED, next_due=dt.date.today() - dt.timedelta(days=9))
    client = as_user(worker)
    rows = client.get("/api/v1/grading/followups").json()
    assert [r["person_id"] for r in rows] == [mine.pk] and rows[0]["overdue"] is True
    assert [r["person_id"] for r in client.get("/api/v1/grading/cards").json()] == [mine.pk]
    detail = client.get(f"/api/v1/grading/cards/{mine.pk}").json()
    assert detail["current"]["card"] == "red"
    assert client.get("/api/v1/grading/followups?show=nonsense").status_code == 422


def test_it_creates_visits_and_refuses_future_dates_in_chinese(tree: Any, worker: Any, as_user: Any) -> None:
    person = graded(tree.a1, Card.BLUE)
    client = as_user(worker)
    ok = client.post(
        "/api/v1/grading/visits",
        {"person_id": person.pk, "mode": "phone", "visited_on": dt.date.today().isoformat()},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["mode"] == "phone"
    assert PersonGrade.objects.get(person=person).last_visit_on == dt.date.today()
    bad = client.post(
        "/api/v1/grading/visits",
        {"person_id": person.pk, "visited_on": (dt.date.today() + dt.timedelta(days=3)).isoformat()},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert bad.status_code == 422
    assert "探访日期不能晚于今天" in bad.json()["errors"]["visited_on"][0]
    assert Visit.objects.count() == 1
    assert client.get("/api/v1/grading/visits").json()[0]["person_id"] == person.pk


def test_it_records_assessments_and_overrides_through_the_api(tree: Any, worker: Any, as_user: Any) -> None:
    person = graded(tree.a1, Card.GREEN)
    client = as_user(worker)
    v = version("household_vulnerability")
    answers = full_answers(v, 1)
    created = client.post(
        "/api/v1/grading/assessments",
        {
            "person_id": person.pk,
            "instrument": "household_vulnerability",
            "answers": answers,
            "assessed_on": dt.date.today().isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["total"] == 18 and created.json()["level"] == 2
    answers.pop("no_workers")
    missing = client.post(
        "/api/v1/grading/assessments",
        {
            "person_id": person.pk,
            "instrument": "household_vulnerability",
            "answers": answers,
            "assessed_on": dt.date.today().isoformat(),
        },
        content_type="application/json",
    )
    assert missing.status_code == 422
    no_reason = client.post(
        f"/api/v1/grading/cards/{person.pk}/override", {"card": "red"}, content_type="application/json"
    )
    assert no_reason.status_code == 422 and PersonGrade.objects.get(person=person).card == "green"
    graded_now = client.post(f"/api/v1/grading/cards/{person.pk}/grade")
    assert graded_now.json()["card"] == "red"  # high household vulnerability


def test_it_hides_other_stations_people_from_the_api(tree: Any, outsider: Any, as_user: Any) -> None:
    person = graded(tree.a1, Card.RED)
    client = as_user(outsider)
    assert client.get(f"/api/v1/grading/cards/{person.pk}").status_code == 404
    assert client.get("/api/v1/grading/followups?show=all").json() == []
    response = client.post(
        "/api/v1/grading/visits",
        {"person_id": person.pk, "visited_on": dt.date.today().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 404
