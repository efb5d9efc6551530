"""Logging in: passwords, first-login change, lock-out, idle timeout, audit, 2FA."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.forms import PasswordChangeForm
from audit.models import AuditEvent, Outcome
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _login(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def _zh() -> dict[str, Any]:
    return {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


# --- password rules ---------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("ab12", "8"),  # too short
        ("shequfuwuzhan", "letters and digits"),  # letters only
        ("3917520486", "letters and digits"),  # digits only
        ("password1", "common"),  # a common password
    ],
)
def test_it_enforces_the_password_rules(worker: Any, password: str, fragment: str) -> None:
    with translation.override("en"):
        form = PasswordChangeForm(
            {"old_password": PASSWORD, "new_password1": password, "new_password2": password}, user=worker
        )
        assert not form.is_valid()
        assert fragment in " ".join(str(e) for e in form.errors["new_password1"])


def test_it_accepts_a_good_password(worker: Any) -> None:
    form = PasswordChangeForm(
        {"old_password": PASSWORD, "new_password1": "Lin9li-shequ", "new_password2": "Lin9li-shequ"}, user=worker
    )
    assert form.is_valid(), form.errors


def test_it_explains_a_weak_password_in_chinese(worker: Any, as_user: Any) -> None:
    response = as_user(worker).post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "shequfuwuzhan", "new_password2": "shequfuwuzhan"},
        **_zh(),
    )
    assert response.status_code == 200
    assert "字母和数字" in " ".join(response.context["form"].errors["new_password1"])
    worker.refresh_from_db()
    assert worker.check_password(PASSWORD)


# --- first login -------------------------------------------------------------


def test_it_makes_a_new_account_change_its_password_first(tree: Any, admin: Any) -> None:
    user = services.staff_create(
        actor=admin, username="newbie", full_name="新人", role="social_worker", unit=tree.a1, password="Start123x"
    )
    assert user.must_change_password
    client = Client()
    response = _login(client, "newbie", "Start123x")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:password_change"))
    assert client.get("/").status_code == 302
    assert client.get("/")["Location"] == reverse("accounts:password_change")
    assert client.get("/api/v1/me").status_code == 401  # half logged in: no API either
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": "Start123x", "new_password1": "Mine2026ok", "new_password2": "Mine2026ok"},
    )
    assert changed.status_code == 302
    assert client.get("/").status_code == 200
    user.refresh_from_db()
    assert not user.must_change_password
    assert AuditEvent.objects.filter(action="account.password_change", actor=user).exists()


# --- audit of logins ---------------------------------------------------------


def test_it_audits_login_success_and_failure_with_ip(worker: Any) -> None:
    client = Client(REMOTE_ADDR="10.1.2.3")
    _login(client, "worker_a", "wrong-password1")
    _login(client, "no_such_user", "wrong-password1")
    _login(client, "worker_a")
    events = list(AuditEvent.objects.filter(action="account.login").order_by("id"))
    assert [(e.actor_label, e.outcome, e.ip) for e in events] == [
        ("worker_a", Outcome.FAILURE, "10.1.2.3"),
        ("no_such_user", Outcome.FAILURE, "10.1.2.3"),
        ("worker_a", Outcome.SUCCESS, "10.1.2.3"),
    ]
    assert events[2].actor == worker
    assert all("wrong-password1" not in str(e.changes) + e.note for e in events)


def test_it_says_wrong_password_in_chinese(worker: Any) -> None:
    response = _login(Client(), "worker_a", "nope", **_zh())
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


# --- lock-out ------------------------------------------------------------------


def test_it_locks_an_account_after_five_failures_and_says_so_in_chinese(worker: Any) -> None:
    client = Client()
    with time_machine.travel(T0, tick=False):
        for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
            assert _login(client, "worker_a", "bad-pass-1", **_zh()).status_code == 200
        assert _login(client, "worker_a", "bad-pass-1", **_zh()).status_code == 403
        locked = _login(client, "worker_a", **_zh())  # the right password no longer helps
    assert locked.status_code == 403
    body = locked.content.decode()
    assert "锁定" in body and "15" in body
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="account.login", outcome=Outcome.DENIED, actor_label="worker_a").exists()


def test_it_counts_failures_within_the_window_only(worker: Any) -> None:
    client = Client()
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(4):
            _login(client, "worker_a", "bad-pass-1")
        clock.shift(timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES + 1))
        assert _login(client, "worker_a", "bad-pass-1").status_code == 200  # a fresh count
        assert _login(client, "worker_a").status_code == 302


def test_it_unlocks_after_the_window(worker: Any) -> None:
    client = Client()
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(5):
            _login(client, "worker_a", "bad-pass-1")
        assert _login(client, "worker_a").status_code == 403
        clock.shift(timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES + 1))
        assert _login(client, "worker_a").status_code == 302


def test_it_lets_an_administrator_unlock_an_account(worker: Any, lead: Any, as_user: Any) -> None:
    client = Client()
    for _ in range(5):
        _login(client, "worker_a", "bad-pass-1")
    assert _login(client, "worker_a").status_code == 403
    lead_client = as_user(lead)
    listing = lead_client.get(reverse("accounts:staff_list"))
    assert [s.is_locked for s in listing.context["lst"].page if s.username == "worker_a"] == [True]
    assert lead_client.post(reverse("accounts:staff_unlock", args=[worker.pk])).status_code == 302
    assert AuditEvent.objects.filter(action="staff.unlock", actor=lead, target_id=str(worker.pk)).exists()
    assert _login(client, "worker_a").status_code == 302


def test_it_locks_per_account_not_per_address(worker: Any, colleague: Any) -> None:
    client = Client()
    for _ in range(5):
        _login(client, "worker_a", "bad-pass-1")
    assert _login(client, "colleague_a").status_code == 302  # same office IP, other account


# --- idle timeout ---------------------------------------------------------------


def test_it_ends_sessions_after_thirty_idle_minutes_renewed_once_a_minute() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_RENEW_SECONDS == 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST  # a read writes nothing
    assert "accounts.middleware.SessionRenewMiddleware" in settings.MIDDLEWARE


def test_it_ends_an_idle_session(worker: Any) -> None:
    client = Client()
    with time_machine.travel(T0, tick=False) as clock:
        assert _login(client, "worker_a").status_code == 302
        for _ in range(3):  # active use keeps the session alive past 30 minutes
            clock.shift(timedelta(minutes=20))
            assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_logs_out_on_post_only_and_audits_it(worker: Any) -> None:
    client = Client()
    _login(client, "worker_a")
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="account.logout", actor=worker).exists()


def test_it_refuses_an_external_next_url(worker: Any) -> None:
    response = Client().post(LOGIN + "?next=https://evil.example/", {"username": "worker_a", "password": PASSWORD})
    assert response["Location"] == "/"


def test_it_refuses_inactive_accounts(worker: Any) -> None:
    worker.is_active = False
    worker.save()
    assert _login(Client(), "worker_a").status_code == 200


# --- two-factor ---------------------------------------------------------------------


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_it_makes_admins_set_up_and_then_verify_totp(tree: Any, admin: Any, settings: Any) -> None:
    settings.REQUIRE_2FA_FOR_ADMINS = True
    client = Client()
    with time_machine.travel(T0, tick=False) as clock:
        response = _login(client, "admin_d")
        assert response["Location"].startswith(reverse("accounts:totp_setup"))
        assert client.get("/")["Location"] == reverse("accounts:totp_setup")
        assert client.get("/api/v1/me").status_code == 401
        assert client.get(reverse("accounts:totp_setup")).status_code == 200
        device = TOTPDevice.objects.get(user=admin, confirmed=False)
        bad = client.post(reverse("accounts:totp_setup"), {"code": "000000"})
        assert bad.status_code == 200 and bad.context["form"].errors["code"]
        clock.shift(timedelta(seconds=5))  # django-otp throttles after a failure
        assert client.post(reverse("accounts:totp_setup"), {"code": _code(device)}).status_code == 302
        assert client.get("/").status_code == 200
        assert client.get("/api/v1/me").status_code == 200

        clock.shift(timedelta(minutes=2))
        again = Client()
        response = _login(again, "admin_d")
        assert response["Location"].startswith(reverse("accounts:otp_verify"))
        assert again.get("/")["Location"] == reverse("accounts:otp_verify")
        wrong = again.post(reverse("accounts:otp_verify"), {"code": "123456"}, **_zh())
        assert "无效" in " ".join(wrong.context["form"].errors["code"])
        clock.shift(timedelta(seconds=5))
        device.refresh_from_db()
        assert again.post(reverse("accounts:otp_verify"), {"code": _code(device)}).status_code == 302
        assert again.get("/").status_code == 200
    notes = list(
        AuditEvent.objects.filter(action="account.login", note="2fa").order_by("id").values_list("outcome", flat=True)
    )
    assert notes == [Outcome.FAILURE, Outcome.SUCCESS]
    assert AuditEvent.objects.filter(action="account.2fa_enable", outcome=Outcome.SUCCESS).count() == 1


def test_it_leaves_totp_optional_for_others_and_when_off(tree: Any, admin: Any, worker: Any, settings: Any) -> None:
    settings.REQUIRE_2FA_FOR_ADMINS = True
    client = Client()
    assert _login(client, "worker_a")["Location"] == "/"
    settings.REQUIRE_2FA_FOR_ADMINS = False
    client = Client()
    assert _login(client, "admin_d")["Location"] == "/"


def test_it_says_on_the_login_page_when_2fa_is_optional(settings: Any, db: Any) -> None:
    settings.REQUIRE_2FA_FOR_ADMINS = False
    assert "Demo mode" in Client().get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    settings.REQUIRE_2FA_FOR_ADMINS = True
    assert "Demo mode" not in Client().get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_it_asks_for_totp_from_anyone_who_turned_it_on(worker: Any, settings: Any) -> None:
    settings.REQUIRE_2FA_FOR_ADMINS = False
    TOTPDevice.objects.create(user=worker, name="default", confirmed=True)
    client = Client()
    assert _login(client, "worker_a")["Location"].startswith(reverse("accounts:otp_verify"))
