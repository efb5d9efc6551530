"""Sign-in at activities by QR code: the signed link and its window, what a
resident, an unknown number and a volunteer make, the same answer for every
number, one sign-in per client id and per number, the limits, the scope."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse

from audit.models import AuditEvent
from casework.models import Activity, ActivitySignIn, ActivitySignup
from casework.services import activity_create
from casework.services.signin import activity_signin_switch
from casework.signin import signin_token
from casework.tests.conftest import NOW
from casework.tests.factories import domain
from people.models import Person
from people.tests.factories import PersonFactory
from volunteering.models import ServiceRecord
from volunteers.tests.factories import VolunteerFactory

pytestmark = pytest.mark.django_db
URL = "/public/signin/"


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


@pytest.fixture
def activity(time_machine: Any, worker: Any, tree: Any) -> Activity:
    """Started half an hour ago at station A, two hours long."""
    time_machine.move_to(NOW, tick=False)
    return activity_create(
        actor=worker,
        unit=tree.station_a,
        title="重阳敬老活动",
        domain=domain(),
        venue="社区活动中心",
        starts_at=NOW - dt.timedelta(minutes=30),
        ends_at=NOW + dt.timedelta(minutes=90),
        organiser="甲街道社工站",
    )


def _post(client: Any, activity: Activity, phone: str, **extra: Any) -> Any:
    data = {"t": signin_token(activity), "phone": phone, "_once": str(uuid.uuid4()), **extra}
    return client.post(URL, data, HTTP_ACCEPT="application/json")


def test_the_page_shows_the_activity_and_no_login_is_needed(client, activity):
    response = client.get(URL, {"t": signin_token(activity)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "重阳敬老活动" in body and "社区活动中心" in body and "甲街道" in body
    assert 'name="phone"' in body and "signin.js" in body


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ("tampered", "不是有效"),
        ("garbage", "不是有效"),
        ("renewed", "已更换"),
        ("off", "已关闭"),
        ("early", "开放签到"),
        ("late", "签到已于"),
    ],
)
def test_a_link_that_does_not_work_gives_a_clear_page(client, activity, worker, change, words, time_machine):
    token = signin_token(activity)
    if change == "tampered":
        data = signing.loads(token, salt="casework.activity-signin")
        token = signing.dumps({**data, "a": activity.pk + 1}, salt="other")
    elif change == "garbage":
        token = "not-a-token"
    elif change == "renewed":
        activity_signin_switch(actor=worker, activity=activity, action="renew")
    elif change == "off":
        activity_signin_switch(actor=worker, activity=activity, action="off")
    elif change == "early":
        time_machine.move_to(activity.starts_at - dt.timedelta(hours=2))
    elif change == "late":
        time_machine.move_to(activity.ends_at + dt.timedelta(hours=3))
    page = client.get(URL, {"t": token})
    assert page.status_code == 200
    assert words in page.content.decode()
    assert 'name="phone"' not in page.content.decode()
    sent = client.post(URL, {"t": token, "phone": "13800001111"}, HTTP_ACCEPT="application/json")
    assert sent.status_code == 410 and words in sent.json()["message"]
    assert not ActivitySignIn.objects.exists()
    assert AuditEvent.objects.filter(action="activity.signin_refused").count() == 1


def test_the_window_comes_from_settings(client, activity, settings, time_machine):
    time_machine.move_to(activity.starts_at - dt.timedelta(minutes=20))
    settings.LINLI_SIGNIN_OPENS_MINUTES = 10
    assert 'name="phone"' not in client.get(URL, {"t": signin_token(activity)}).content.decode()
    settings.LINLI_SIGNIN_OPENS_MINUTES = 30
    assert 'name="phone"' in client.get(URL, {"t": signin_token(activity)}).content.decode()


def test_a_known_resident_is_ticked_attended_without_having_signed_up(client, activity, tree):
    person = PersonFactory(unit=tree.a1, phone="13812345678")
    response = _post(client, activity, "138 1234 5678")
    assert response.status_code == 200 and response.json() == {"ok": True, "message": "已签到：重阳敬老活动"}
    signup = ActivitySignup.objects.get(activity=activity)
    assert signup.person == person and signup.attended
    activity.refresh_from_db()
    assert activity.head_count == 0
    event = AuditEvent.objects.get(action="activity.signin")
    assert event.changes == {"person": [None, person.name]} and "13812345678" not in str(event.changes)


def test_an_unknown_number_is_counted_and_no_person_is_made(client, activity):
    persons = Person.objects.count()
    response = _post(client, activity, "13900009999", name="王阿姨")
    assert response.json() == {"ok": True, "message": "已签到：重阳敬老活动"}
    activity.refresh_from_db()
    assert activity.head_count == 1 and Person.objects.count() == persons
    signin = ActivitySignIn.objects.get()
    assert (signin.kind, signin.name, signin.signup) == ("guest", "王阿姨", None)
    assert "13900009999" not in signin.phone_digest


def test_known_and_unknown_numbers_get_the_same_answer(client, activity, tree):
    PersonFactory(unit=tree.a1, phone="13812345678")
    VolunteerFactory(unit=tree.a1, phone="13700001111")
    answers = [
        _post(client, activity, "13812345678"),
        _post(client, activity, "13900009999"),
        _post(client, activity, "13700001111", kind="volunteer"),
        _post(client, activity, "13600002222", kind="volunteer"),
    ]
    assert {(a.status_code, a.content) for a in answers} == {(200, answers[0].content)}
    pages = [
        client.post(URL, {"t": signin_token(activity), "phone": p}).content.decode().replace(p, "")
        for p in ("13812345670", "13900009990")
    ]
    assert pages[0] == pages[1]


def test_a_volunteer_gets_attendance_and_a_pending_service_record(as_user, client, activity, tree, worker):
    volunteer = VolunteerFactory(unit=tree.a1, phone="13700001111")
    _post(client, activity, "13700001111", kind="volunteer")
    signup = ActivitySignup.objects.get(activity=activity, volunteer=volunteer)
    record = ServiceRecord.objects.get(volunteer=volunteer)
    assert signup.attended and signup.service_record == record
    assert record.pending and record.hours == 2 and record.activity_name == "重阳敬老活动"
    assert record.source_type == "casework.activity" and record.source_id == str(activity.pk)
    page = as_user(worker).get(reverse("casework:activity_detail", args=[activity.pk])).content.decode()
    assert volunteer.name in page and "待确认" in page


def test_a_volunteer_who_does_not_say_so_signs_in_as_a_resident_would(client, activity, tree):
    VolunteerFactory(unit=tree.a1, phone="13700001111")
    _post(client, activity, "13700001111")
    assert not ServiceRecord.objects.exists()
    activity.refresh_from_db()
    assert activity.head_count == 1


def test_the_same_client_id_twice_signs_in_once(client, activity, tree):
    PersonFactory(unit=tree.a1, phone="13812345678")
    data = {"t": signin_token(activity), "phone": "13900009999", "_once": str(uuid.uuid4())}
    first = client.post(URL, data, HTTP_ACCEPT="application/json")
    second = client.post(URL, data, HTTP_ACCEPT="application/json")
    assert first.json() == second.json() == {"ok": True, "message": "已签到：重阳敬老活动"}
    activity.refresh_from_db()
    assert activity.head_count == 1 and ActivitySignIn.objects.count() == 1


def test_a_number_signs_in_once_whatever_the_client_id(client, activity, tree):
    PersonFactory(unit=tree.a1, phone="13812345678")
    volunteer = VolunteerFactory(unit=tree.a1, phone="13700001111")
    for _ in range(2):
        _post(client, activity, "13812345678")
        _post(client, activity, "13900009999")
        _post(client, activity, "13700001111", kind="volunteer")
    activity.refresh_from_db()
    assert activity.head_count == 1
    assert ActivitySignup.objects.filter(activity=activity).count() == 2
    assert ServiceRecord.objects.filter(volunteer=volunteer).count() == 1


def test_too_many_sign_ins_are_refused_with_a_message(client, activity, settings):
    settings.LINLI_SIGNIN_PER_IP = 4
    settings.LINLI_SIGNIN_PER_PHONE = 2
    assert _post(client, activity, "13900000001").status_code == 200
    assert _post(client, activity, "13900000001").status_code == 200
    refused = _post(client, activity, "13900000001")
    assert refused.status_code == 429 and "过于频繁" in refused.json()["message"]
    assert _post(client, activity, "13900000002").status_code == 200
    assert _post(client, activity, "13900000003").status_code == 429  # the address's limit
    activity.refresh_from_db()
    assert activity.head_count == 2
    assert AuditEvent.objects.filter(action="activity.signin_refused").count() == 2


def test_a_bad_number_is_refused_with_a_message(client, activity):
    response = _post(client, activity, "12345")
    assert response.status_code == 422 and "11" in response.json()["message"]
    page = client.post(URL, {"t": signin_token(activity), "phone": ""})
    assert page.status_code == 422 and "请输入" in page.content.decode()
    assert not ActivitySignIn.objects.exists()


def test_a_resident_of_another_station_is_not_named(client, activity, tree):
    PersonFactory(unit=tree.b1, phone="13812345678")
    VolunteerFactory(unit=tree.b1, phone="13700001111")
    _post(client, activity, "13812345678")
    _post(client, activity, "13700001111", kind="volunteer")
    assert not ActivitySignup.objects.filter(activity=activity).exists()
    assert not ServiceRecord.objects.exists()
    activity.refresh_from_db()
    assert activity.head_count == 2


def test_a_phone_shared_by_two_residents_names_neither(client, activity, tree):
    PersonFactory(unit=tree.a1, phone="13812345678")
    PersonFactory(unit=tree.a2, phone="13812345678")
    _post(client, activity, "13812345678")
    assert not ActivitySignup.objects.filter(activity=activity).exists()


def test_staff_see_the_qr_code_the_poster_and_who_signed_in(as_user, client, activity, tree, worker, viewer):
    PersonFactory(unit=tree.a1, phone="13812345678", name="李大爷")
    _post(client, activity, "13812345678")
    _post(client, activity, "13900009999", name="王阿姨")
    staff = as_user(worker)
    page = staff.get(reverse("casework:activity_detail", args=[activity.pk])).content.decode()
    assert "李大爷" in page and "王阿姨" in page and signin_token(activity) in page
    svg = staff.get(reverse("casework:activity_qr", args=[activity.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content and b"<script" not in svg.content
    poster = staff.get(reverse("casework:activity_poster", args=[activity.pk])).content.decode()
    assert "重阳敬老活动" in poster and signin_token(activity) in poster
    assert as_user(viewer).get(reverse("casework:signin_switch", args=[activity.pk])).status_code == 403


def test_staff_switch_the_qr_code_off_and_renew_it(as_user, activity, worker, outsider, client):
    old = signin_token(activity)
    staff = as_user(worker)
    url = reverse("casework:signin_switch", args=[activity.pk])
    assert staff.post(url, {"action": "off"}).status_code == 302
    activity.refresh_from_db()
    assert not activity.signin_open
    assert as_user(outsider).post(url, {"action": "on"}).status_code == 404
    staff.post(url, {"action": "renew"})
    activity.refresh_from_db()
    assert activity.signin_open and signin_token(activity) != old
    assert "已更换" in client.get(URL, {"t": old}).content.decode()
    assert AuditEvent.objects.filter(action="activity.signin_switch").count() == 2
