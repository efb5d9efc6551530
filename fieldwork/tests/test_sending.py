"""The endpoint the phone's queue sends to: one visit per client id whatever
the retries, conflicts answered unsaved, the visit rules of grading's form
and service, and only what the phone is meant to keep in its data."""

from __future__ import annotations

import base64
import datetime as dt
import io
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from audit.models import AuditEvent
from core.models import FormSubmission
from grading.models import Card, PersonGrade, Visit, VisitPhoto
from grading.tests.factories import graded
from people.models import PersonStatus

pytestmark = pytest.mark.django_db
SEND = "/field/visits/"


def _post(client: Any, person: Any, token: str | None = None, **extra: Any) -> Any:
    grade = PersonGrade.objects.get(person=person)
    last = Visit.objects.filter(person=person).order_by("-pk").first()
    data = {
        "_once": token or str(uuid.uuid4()),
        "person_id": person.pk,
        "mode": "home",
        "visited_on": dt.date.today().isoformat(),
        "findings": "精神不错",
        "known_visit": last.pk if last else 0,
        "known_card": grade.card,
        "known_status": person.status,
    }
    data.update(extra)
    return client.post(SEND, data)


def test_a_queued_visit_is_saved_through_the_visit_rules(as_user: Any, worker: Any, tree: Any) -> None:
    person = graded(tree.a1, Card.RED, responsible=worker)
    response = _post(as_user(worker), person)
    assert response.status_code == 201, response.content
    visit = Visit.objects.get(person=person)
    assert response.json() == {"status": "saved", "visit": visit.pk, "again": False}
    assert visit.visitor == worker and visit.findings == "精神不错"
    assert AuditEvent.objects.filter(action="visit.log").count() == 1
    assert PersonGrade.objects.get(person=person).last_visit_on == dt.date.today()


def test_a_queued_visit_brings_its_photo_and_signature_once(
    as_user: Any, worker: Any, tree: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    person = graded(tree.a1, Card.RED, responsible=worker)
    client, token = as_user(worker), str(uuid.uuid4())
    signature = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    for x in range(20, 280):
        signature.putpixel((x, 50), (0, 0, 0, 255))
    png = io.BytesIO()
    signature.save(png, "PNG")
    for _attempt in range(2):  # the answer to the first was lost: the phone sends it again
        photo = io.BytesIO()
        Image.new("RGB", (800, 600), (40, 120, 200)).save(photo, "JPEG")
        upload = SimpleUploadedFile("door.jpg", photo.getvalue(), content_type="image/jpeg")
        sig = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
        _post(client, person, token, photos=upload, signature=sig, signed_by="resident")
    visit = Visit.objects.get(person=person)
    assert VisitPhoto.objects.filter(visit=visit).count() == 1
    assert visit.signature


def test_the_same_visit_sent_twice_makes_one_row(as_user: Any, worker: Any, tree: Any) -> None:
    person = graded(tree.a1, Card.RED, responsible=worker)
    client, token = as_user(worker), str(uuid.uuid4())
    first = _post(client, person, token)
    again = _post(client, person, token)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["again"] is True and again.json()["visit"] == first.json()["visit"]
    assert Visit.objects.filter(person=person).count() == 1


def test_fifty_queued_visits_sent_with_retries_arrive_exactly_once(as_user: Any, worker: Any, tree: Any) -> None:
    people = [graded(tree.a1, Card.BLUE, responsible=worker) for _ in range(5)]
    client = as_user(worker)
    queue = [(people[i % 5], str(uuid.uuid4())) for i in range(50)]
    for person, token in queue:  # the first attempt: the answer is lost for every third
        _post(client, person, token)
    for person, token in queue[::3]:  # the phone retries those it heard nothing from
        assert _post(client, person, token).status_code == 200
    assert Visit.objects.filter(person__in=people).count() == 50
    assert FormSubmission.objects.filter(token__in=[t for _p, t in queue]).count() == 50


def test_a_token_is_a_uuid_and_belongs_to_its_user(as_user: Any, worker: Any, colleague: Any, tree: Any) -> None:
    person = graded(tree.a1, Card.RED, responsible=worker)
    assert _post(as_user(worker), person, token="not-a-uuid").status_code == 400
    token = str(uuid.uuid4())
    assert _post(as_user(worker), person, token).status_code == 201
    stolen = _post(as_user(colleague), person, token)
    assert stolen.status_code == 422
    assert Visit.objects.filter(person=person).count() == 1


def test_the_form_rules_answer_in_the_users_language(as_user: Any, worker: Any, tree: Any) -> None:
    person = graded(tree.a1, Card.RED, responsible=worker)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = _post(as_user(worker), person, visited_on=tomorrow)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["visited_on"]
    assert not Visit.objects.exists()
    assert not FormSubmission.objects.exists()  # refused: the same id may be sent again once corrected


def test_a_colleagues_visit_meanwhile_is_a_conflict_and_keep_both_saves(
    as_user: Any, worker: Any, colleague: Any, tree: Any
) -> None:
    person = graded(tree.a1, Card.RED, responsible=worker)
    client, token = as_user(worker), str(uuid.uuid4())
    known = {"known_visit": 0, "known_card": "red", "known_status": "active"}
    assert _post(as_user(colleague), person).status_code == 201  # the colleague was there first
    response = _post(client, person, token, **known)
    assert response.status_code == 409
    body = response.json()
    assert len(body["conflicts"]) == 1 and (colleague.full_name or str(colleague)) in body["conflicts"][0]
    assert Visit.objects.filter(person=person).count() == 1  # nothing of mine saved
    kept = _post(client, person, token, confirm="1", **known)
    assert kept.status_code == 201
    assert Visit.objects.filter(person=person).count() == 2
    assert _post(client, person, token, confirm="1", **known).status_code == 200  # and once only


def test_my_own_visit_from_elsewhere_is_no_conflict(as_user: Any, worker: Any, tree: Any) -> None:
    person = graded(tree.a1, Card.RED, responsible=worker)
    assert _post(as_user(worker), person).status_code == 201
    again = _post(as_user(worker), person, known_visit=0)
    assert again.status_code == 201


def test_a_changed_card_and_a_person_who_died_are_conflicts(as_user: Any, worker: Any, tree: Any) -> None:
    person = graded(tree.a1, Card.BLUE, responsible=worker)
    PersonGrade.objects.filter(person=person).update(card=Card.RED)
    person.status, person.status_on = PersonStatus.DECEASED, dt.date(2026, 11, 30)
    person.save()
    response = _post(as_user(worker), person, known_card="blue", known_status="active")
    assert response.status_code == 409
    conflicts = response.json()["conflicts"]
    assert len(conflicts) == 2
    assert "蓝卡" in conflicts[0] and "红卡" in conflicts[0]
    assert "2026-11-30" in conflicts[1]
    assert response.json()["current"]["card"] == "red"
    assert not Visit.objects.exists()


def test_another_stations_person_is_not_found(as_user: Any, outsider: Any, worker: Any, tree: Any) -> None:
    person = graded(tree.a1, Card.RED, responsible=worker)
    assert _post(as_user(outsider), person).status_code == 404
    assert not Visit.objects.exists()


def test_a_viewer_cannot_send(as_user: Any, viewer: Any, worker: Any, tree: Any) -> None:
    person = graded(tree.a1, Card.RED, responsible=worker)
    assert _post(as_user(viewer), person).status_code == 403


def test_the_phone_keeps_the_minimum(as_user: Any, worker: Any, tree: Any) -> None:
    adult = graded(tree.a1, Card.RED, responsible=worker, actual_address="鲤城区1号", notes="病史：机密")
    child = graded(tree.a1, Card.BLUE, responsible=worker, birth_date=dt.date.today() - dt.timedelta(days=365 * 9))
    graded(tree.b1, Card.RED, name="别站的人")  # another station's
    response = as_user(worker).get(reverse("fieldwork:data"))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    data = response.json()
    assert data["user"] == worker.pk and data["keep_days"] == 7 and data["csrf"]
    people = {p["id"]: p for p in data["people"]}
    assert set(people) == {adult.pk, child.pk}
    assert people[adult.pk]["address"] == "鲤城区1号" and people[adult.pk]["phone"] == adult.phone
    assert set(people[child.pk]) == {"id", "name", "community", "card", "card_label", "next_due", "overdue", "known"}
    text = response.content.decode()
    assert "机密" not in text and "id_" not in text and "birth" not in text


def test_the_district_sets_the_days(as_user: Any, admin: Any, worker: Any, tree: Any, settings: Any) -> None:
    settings.LINLI_FIELD_KEEP_DAYS = 5
    assert as_user(worker).get(reverse("fieldwork:data")).json()["keep_days"] == 5
    assert as_user(worker).get(reverse("fieldwork:policy")).status_code == 403
    client = as_user(admin)
    page = client.get(reverse("fieldwork:policy"))
    assert page.status_code == 200
    based_on = page.context["form"]["_based_on"].value()
    assert client.post(reverse("fieldwork:policy"), {"keep_days": 3, "_based_on": based_on}).status_code == 302
    assert as_user(worker).get(reverse("fieldwork:data")).json()["keep_days"] == 3
    assert AuditEvent.objects.filter(action="field_policy.update").count() == 1
    assert client.post(reverse("fieldwork:policy"), {"keep_days": 99}).status_code == 200  # refused: at most 30
