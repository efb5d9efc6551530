from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from core.identity import mask_phone
from portal.models import PortalAccount, SignInCode
from portal.tests.conftest import PHONE, last_code, sign_in

pytestmark = pytest.mark.django_db


def test_it_signs_a_new_number_in_and_asks_only_the_minimum(tree: Any) -> None:
    client = Client()
    r = client.post("/portal/login/", {"phone": "138 0013 8000"})
    assert r.status_code == 302 and r["Location"].startswith("/portal/login/code/")
    r = client.post("/portal/login/code/", {"code": last_code()})
    assert r["Location"].startswith("/portal/login/welcome/")
    page = client.get(r["Location"]).content.decode()
    assert tree.a1.name in page and "privacy" in page.lower()
    r = client.post("/portal/login/welcome/", {"name": "李阿姨", "community": tree.a1.pk, "accept_privacy": "on"})
    assert r.status_code == 302, r.content.decode()[:2000]
    account = PortalAccount.objects.get(phone=PHONE)
    assert account.station == tree.station_a and account.privacy_accepted_at is not None
    assert client.get("/portal/me/").status_code == 200
    assert not client.session.get("_auth_user_id"), "a portal session is never a staff login"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"portal.code_send", "portal.signin", "portal.register"} <= actions
    assert not AuditEvent.objects.filter(changes__phone=PHONE).exists(), "the phone is masked in the log"


def test_it_refuses_the_privacy_notice_unaccepted_and_a_child_without_guardian(tree: Any) -> None:
    client = Client()
    sign_in(client)
    r = client.post("/portal/login/welcome/", {"name": "小明", "community": tree.a1.pk})
    assert r.status_code == 200 and PortalAccount.objects.get().privacy_accepted_at is None
    r = client.post(
        "/portal/login/welcome/", {"name": "小明", "community": tree.a1.pk, "under_14": "on", "accept_privacy": "on"}
    )
    assert r.status_code == 200
    assert PortalAccount.objects.get().privacy_accepted_at is None
    r = client.post(
        "/portal/login/welcome/",
        {
            "name": "小明",
            "community": tree.a1.pk,
            "under_14": "on",
            "guardian_name": "王芳",
            "guardian_phone": "13900139000",
            "guardian_relation": "母亲",
            "accept_privacy": "on",
        },
    )
    assert r.status_code == 302
    assert PortalAccount.objects.get().guardian_name == "王芳"


def test_it_sends_to_sign_in_keeping_next(tree: Any) -> None:
    r = Client().get("/portal/me/")
    assert r.status_code == 302 and r["Location"] == "/portal/login/?next=/portal/me/"


def test_it_refuses_a_malformed_number_with_a_message(tree: Any) -> None:
    r = Client().post("/portal/login/", {"phone": "0595-22345678"})
    assert r.status_code == 200 and SignInCode.objects.count() == 0


def test_it_does_not_reuse_a_code(resident: PortalAccount) -> None:
    client = Client()
    client.post("/portal/login/", {"phone": PHONE})
    code = last_code()
    client.post("/portal/login/code/", {"code": code})
    assert "portal_account" in client.session
    client.post("/portal/logout/")
    session = client.session
    session["portal_pending_phone"] = PHONE  # as if the number were typed again, without asking a new code
    session.save()
    r = client.post("/portal/login/code/", {"code": code})
    assert r.status_code == 200 and "portal_account" not in client.session


def test_it_expires_a_code(resident: PortalAccount) -> None:
    client = Client()
    client.post("/portal/login/", {"phone": PHONE})
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):
        r = client.post("/portal/login/code/", {"code": last_code()})
    assert r.status_code == 200 and "portal_account" not in client.session


def test_it_voids_a_code_after_a_few_wrong_tries_and_locks_the_number(resident: PortalAccount, settings: Any) -> None:
    settings.PORTAL_CODE_GAP_SECONDS = 0
    client = Client()
    client.post("/portal/login/", {"phone": PHONE})
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(settings.PORTAL_CODE_TRIES):
        client.post("/portal/login/code/", {"code": wrong})
    r = client.post("/portal/login/code/", {"code": code})
    assert "portal_account" not in client.session, "a voided code signs nobody in"
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/portal/login/", {"phone": PHONE})
        client.post("/portal/login/code/", {"code": wrong})
    client.post("/portal/login/", {"phone": PHONE})
    r = client.post("/portal/login/code/", {"code": last_code()}, follow=True)
    assert "portal_account" not in client.session, "a locked number cannot sign in even with the right code"
    assert "Try again after" in r.content.decode() or "后再试" in r.content.decode()


def test_it_answers_the_same_for_a_known_and_an_unknown_number(resident: PortalAccount, settings: Any) -> None:
    def page(response: Any, phone: str) -> str:
        text = response.content.decode().replace(mask_phone(phone), "PHONE")
        return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', r"\1TOKEN", text)

    def answers(phone: str) -> tuple[Any, ...]:
        client = Client()
        first = client.post("/portal/login/", {"phone": phone}, follow=True)
        wrong = client.post("/portal/login/code/", {"code": "999999"})
        return first.status_code, page(first, phone), wrong.status_code, page(wrong, phone)

    assert answers(PHONE) == answers("13911112222")


def test_it_limits_codes_per_number_and_per_address(tree: Any, settings: Any) -> None:
    settings.PORTAL_CODE_GAP_SECONDS = 0
    settings.PORTAL_CODES_PER_PHONE_HOUR = 2
    settings.PORTAL_CODES_PER_ADDRESS_HOUR = 3
    client = Client()
    for _ in range(3):
        client.post("/portal/login/", {"phone": PHONE})
    assert SignInCode.objects.count() == 2, "the third code for one number is refused"
    r = client.post("/portal/login/", {"phone": "13911112222"}, follow=True)
    assert SignInCode.objects.count() == 3
    r = client.post("/portal/login/", {"phone": "13933334444"}, follow=True)
    assert SignInCode.objects.count() == 3, "a flood from one address is refused"
    assert "Try again after" in r.content.decode() or "后再试" in r.content.decode()
    other = Client(REMOTE_ADDR="10.1.2.3")
    other.post("/portal/login/", {"phone": "13933334444"})
    assert SignInCode.objects.count() == 4
    assert AuditEvent.objects.filter(action="portal.code_refused").count() == 2


def test_it_keeps_portal_and_staff_sessions_apart(portal_client: Client, worker: Any, settings: Any) -> None:
    settings.PORTAL_CODE_GAP_SECONDS = 0
    portal_client.force_login(worker)
    assert portal_client.get("/portal/me/").status_code == 403, "a staff login carries no portal session"
    staff = Client()
    staff.force_login(worker)
    sign_in(staff)
    assert "_auth_user_id" not in staff.session, "a portal sign-in ends the staff login"
    assert staff.get("/people/").status_code == 302


def test_it_ends_an_idle_portal_session(portal_client: Client, settings: Any) -> None:
    assert portal_client.get("/portal/me/").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=settings.PORTAL_IDLE_MINUTES + 1)):
        assert portal_client.get("/portal/me/").status_code == 302
