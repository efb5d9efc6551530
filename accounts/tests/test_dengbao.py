"""The 等保 profile's account rules, each with the profile's value and off:
password expiry, history and character classes, 2FA for every privileged
role, API token expiry and pending 2FA, the absolute session lifetime, and
三员分立 (separate system, security and audit administrators)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import ApiToken, PasswordHistory, User
from audit.models import AuditEvent
from core.access import PERMISSIONS, Perm, can, duties_of, role_permissions
from core.roles import ROLE_LEVELS, Level, Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ZH = {"Accept-Language": "zh-hans"}


def _login(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _change(client: Client, old: str, new: str) -> Any:
    return client.post(
        reverse("accounts:password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
    )


# --- the switch --------------------------------------------------------------


def _settings_with(env: dict[str, str]) -> list[str]:
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='linli.settings'; from django.conf import settings; "
        "print(settings.PASSWORD_MAX_AGE_DAYS, settings.PASSWORD_HISTORY, settings.PASSWORD_MIN_CLASSES, "
        "settings.REQUIRE_2FA_FOR_PRIVILEGED, settings.SESSION_ABSOLUTE_HOURS, settings.API_TOKEN_DAYS, "
        "settings.AUDIT_DENIED_ACCESS, settings.SEPARATE_ADMIN_ROLES, settings.AUDIT_RETENTION_DAYS)"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith("LINLI_")}
    done = subprocess.run(
        [sys.executable, "-c", code], env={**base, "LINLI_ENV": "test", **env}, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_it_turns_every_rule_on_with_one_setting_and_lets_each_be_changed() -> None:
    assert _settings_with({}) == ["0", "0", "0", "False", "12", "0", "False", "False", "183"]
    on = _settings_with({"LINLI_DENGBAO": "1"})
    assert on == ["90", "5", "3", "True", "8", "90", "True", "True", "365"]
    tuned = _settings_with({"LINLI_DENGBAO": "1", "LINLI_PASSWORD_MAX_AGE_DAYS": "60", "LINLI_PASSWORD_HISTORY": "10"})
    assert tuned[:2] == ["60", "10"] and tuned[2:] == on[2:]


def test_it_refuses_an_audit_retention_under_six_months() -> None:
    code = "import os; os.environ['DJANGO_SETTINGS_MODULE']='linli.settings'; from django.conf import settings; settings.DEBUG"
    base = {k: v for k, v in os.environ.items() if not k.startswith("LINLI_")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "LINLI_ENV": "test", "LINLI_AUDIT_RETENTION_DAYS": "90"},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "LINLI_AUDIT_RETENTION_DAYS must be at least 183" in done.stderr


def test_it_shows_the_rules_in_force_to_security_and_system_administrators(
    tree: Any, worker: Any, as_user: Any, settings: Any
) -> None:
    settings.DENGBAO_PROFILE = True
    settings.PASSWORD_MAX_AGE_DAYS = 90
    security = UserFactory(username="sec_d", role=Role.SECURITY_ADMIN, unit=tree.district)
    system = UserFactory(username="sys_d", role=Role.SYSTEM_ADMIN, unit=tree.district)
    page = as_user(security).get(reverse("accounts:security_settings"), headers=ZH).content.decode()
    assert "等保配置" in page and "90 天" in page and "LINLI_" not in page  # no developer words
    assert as_user(system).get(reverse("accounts:security_settings")).status_code == 200
    assert as_user(worker).get(reverse("accounts:security_settings")).status_code == 403


# --- password expiry ---------------------------------------------------------


def test_it_makes_an_expired_password_be_changed_before_anything_else(worker: Any, settings: Any) -> None:
    settings.PASSWORD_MAX_AGE_DAYS = 90
    with time_machine.travel(T0, tick=False) as clock:
        services.password_change(user=worker, new_password="Fresh-pass-2026")
        clock.shift(timedelta(days=89))
        client = Client()
        assert _login(client, "worker_a", "Fresh-pass-2026")["Location"] == "/"
        clock.shift(timedelta(days=2))
        client = Client()
        response = _login(client, "worker_a", "Fresh-pass-2026")
        assert response["Location"].startswith(reverse("accounts:password_change"))
        assert client.get("/")["Location"] == reverse("accounts:password_change")
        htmx = client.get("/people/", HTTP_HX_REQUEST="true")
        assert htmx["HX-Redirect"] == reverse("accounts:password_change")
        page = client.get(reverse("accounts:password_change"), headers=ZH).content.decode()
        assert "您的密码已使用超过 90 天" in page and 'href="/people/"' not in page
        assert client.get(reverse("accounts:security")).status_code == 302  # only the change page answers
        assert _change(client, "Fresh-pass-2026", "Newer-pass-2026").status_code == 302
        assert client.get("/").status_code == 200


def test_it_counts_an_undated_password_from_the_account_creation(worker: Any, settings: Any) -> None:
    settings.PASSWORD_MAX_AGE_DAYS = 90
    worker.date_joined = T0
    worker.save(update_fields=["date_joined"])
    with time_machine.travel(T0 + timedelta(days=91), tick=False):
        assert _login(Client(), "worker_a")["Location"].startswith(reverse("accounts:password_change"))


def test_it_never_expires_passwords_with_the_profile_off(worker: Any, settings: Any) -> None:
    settings.PASSWORD_MAX_AGE_DAYS = 0
    worker.date_joined = T0
    worker.save(update_fields=["date_joined"])
    with time_machine.travel(T0 + timedelta(days=3650), tick=False):
        assert _login(Client(), "worker_a")["Location"] == "/"


# --- password history and character classes -------------------------------


def test_it_refuses_the_last_five_passwords(worker: Any, settings: Any) -> None:
    settings.PASSWORD_HISTORY = 5
    used = [f"Reuse-pass-{n}x" for n in range(6)]
    for password in used:
        services.password_change(user=worker, new_password=password)
    assert PasswordHistory.objects.filter(user=worker).count() == 5
    for password in used[1:]:
        with pytest.raises(ValidationError) as refused, translation.override("zh-hans"):
            services.password_change(user=worker, new_password=password)
        assert "最近 5 个密码" in " ".join(refused.value.messages)
    services.password_change(user=worker, new_password=used[0])  # the sixth back is allowed again


def test_it_refuses_a_reset_to_an_earlier_password_too(tree: Any, lead: Any, worker: Any, settings: Any) -> None:
    settings.PASSWORD_HISTORY = 5
    services.password_change(user=worker, new_password="Earlier-pass-1")
    services.password_change(user=worker, new_password="Earlier-pass-2")
    with pytest.raises(ValidationError):
        services.staff_reset_password(actor=lead, staff=worker, password="Earlier-pass-1")


def test_it_keeps_no_history_with_the_profile_off(worker: Any, settings: Any) -> None:
    settings.PASSWORD_HISTORY = 0
    services.password_change(user=worker, new_password="Again-pass-1")
    services.password_change(user=worker, new_password="Other-pass-2")
    services.password_change(user=worker, new_password="Again-pass-1")
    assert not PasswordHistory.objects.exists()


@pytest.mark.parametrize(
    ("password", "ok"),
    [("lowercase2026x", False), ("UPPERCASE2026X", False), ("Mixedcase2026", True), ("lower-case-2026", True)],
)
def test_it_asks_for_three_of_four_character_classes(worker: Any, settings: Any, password: str, ok: bool) -> None:
    settings.PASSWORD_MIN_CLASSES = 3
    if ok:
        validate_password(password, worker)
        return
    with pytest.raises(ValidationError) as refused, translation.override("zh-hans"):
        validate_password(password, worker)
    assert "至少包含以下 3 类字符" in " ".join(refused.value.messages)


def test_it_asks_for_no_character_classes_with_the_profile_off(worker: Any, settings: Any) -> None:
    settings.PASSWORD_MIN_CLASSES = 0
    validate_password("lowercase2026x", worker)


# --- 2FA for every privileged role -----------------------------------------


@pytest.mark.parametrize(
    ("username", "role", "unit"),
    [
        ("lead_x", Role.STATION_LEAD, "station_a"),
        ("super_x", Role.SUPERVISOR, "district"),
        ("sys_x", Role.SYSTEM_ADMIN, "district"),
        ("sec_x", Role.SECURITY_ADMIN, "district"),
        ("aud_x", Role.AUDIT_ADMIN, "district"),
        ("admin_x", Role.DISTRICT_ADMIN, "district"),
    ],
)
def test_it_makes_every_privileged_role_enrol_in_2fa_first(
    tree: Any, settings: Any, username: str, role: str, unit: str
) -> None:
    settings.REQUIRE_2FA_FOR_PRIVILEGED = True
    settings.REQUIRE_2FA_FOR_ADMINS = False
    UserFactory(username=username, role=role, unit=getattr(tree, unit))
    client = Client()
    assert _login(client, username)["Location"].startswith(reverse("accounts:totp_setup"))
    for path in ("/", reverse("accounts:security"), reverse("accounts:password_change"), "/audit/"):
        assert client.get(path)["Location"] == reverse("accounts:totp_setup"), path
    assert client.get("/", HTTP_HX_REQUEST="true")["HX-Redirect"] == reverse("accounts:totp_setup")
    assert client.get("/api/v1/me").status_code == 401
    setup = client.get(reverse("accounts:totp_setup"), headers=ZH)
    assert setup.status_code == 200 and "您的角色必须使用双因素登录" in setup.content.decode()
    assert "menu-toggle" not in setup.content.decode()  # no menu of pages that would not answer


def test_it_leaves_2fa_to_workers_and_leads_with_the_profile_off(
    tree: Any, lead: Any, worker: Any, settings: Any
) -> None:
    settings.REQUIRE_2FA_FOR_ADMINS = True
    settings.REQUIRE_2FA_FOR_PRIVILEGED = False
    assert _login(Client(), "lead_a")["Location"] == "/"
    settings.REQUIRE_2FA_FOR_PRIVILEGED = True
    assert _login(Client(), "worker_a")["Location"] == "/"


# --- API tokens --------------------------------------------------------------


def _bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_it_lets_tokens_expire(worker: Any, settings: Any) -> None:
    settings.API_TOKEN_DAYS = 90
    with time_machine.travel(T0, tick=False) as clock:
        raw = services.api_token_create(user=worker, name="sync")
        assert ApiToken.objects.get().expires_at == T0 + timedelta(days=90)
        clock.shift(timedelta(days=89))
        assert Client().get("/api/v1/me", headers=_bearer(raw)).status_code == 200
        clock.shift(timedelta(days=2))
        assert Client().get("/api/v1/me", headers=_bearer(raw)).status_code == 401


def test_it_keeps_tokens_until_revoked_with_the_profile_off(worker: Any, settings: Any) -> None:
    settings.API_TOKEN_DAYS = 0
    with time_machine.travel(T0, tick=False) as clock:
        raw = services.api_token_create(user=worker, name="sync")
        assert ApiToken.objects.get().expires_at is None
        clock.shift(timedelta(days=3650))
        assert Client().get("/api/v1/me", headers=_bearer(raw)).status_code == 200


def test_it_stops_tokens_while_the_users_2fa_is_pending(lead: Any, settings: Any) -> None:
    raw = services.api_token_create(user=lead, name="sync")
    settings.REQUIRE_2FA_FOR_PRIVILEGED = False
    assert Client().get("/api/v1/me", headers=_bearer(raw)).status_code == 200
    settings.REQUIRE_2FA_FOR_PRIVILEGED = True
    assert Client().get("/api/v1/me", headers=_bearer(raw)).status_code == 401
    TOTPDevice.objects.create(user=lead, name="default", confirmed=True)
    assert Client().get("/api/v1/me", headers=_bearer(raw)).status_code == 200


def test_it_stops_tokens_while_the_password_is_expired(worker: Any, settings: Any) -> None:
    settings.PASSWORD_MAX_AGE_DAYS = 90
    with time_machine.travel(T0, tick=False) as clock:
        services.password_change(user=worker, new_password="Token-pass-2026")
        raw = services.api_token_create(user=worker, name="sync")
        clock.shift(timedelta(days=91))
        assert Client().get("/api/v1/me", headers=_bearer(raw)).status_code == 401


# --- absolute session lifetime ---------------------------------------------


def test_it_ends_a_busy_session_at_its_maximum_lifetime(worker: Any, settings: Any) -> None:
    settings.SESSION_ABSOLUTE_HOURS = 8
    client = Client()
    with time_machine.travel(T0, tick=False) as clock:
        _login(client, "worker_a")
        for _ in range(23):  # busy every 20 minutes: the idle timeout never fires
            clock.shift(timedelta(minutes=20))
            assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=21))  # 8 h 1 min after login
        response = client.get("/", headers=ZH)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
        page = client.get(response["Location"], headers=ZH).content.decode()
        assert "会话已达到最长 8 小时的有效期" in page
        assert client.get("/api/v1/me").status_code == 401
    ended = AuditEvent.objects.get(action="account.session_end")
    assert ended.actor == worker


def test_it_keeps_a_busy_session_within_the_lifetime(worker: Any, settings: Any) -> None:
    settings.SESSION_ABSOLUTE_HOURS = 12
    client = Client()
    with time_machine.travel(T0, tick=False) as clock:
        _login(client, "worker_a")
        for _ in range(30):  # ten hours
            clock.shift(timedelta(minutes=20))
            assert client.get("/").status_code == 200
    assert not AuditEvent.objects.filter(action="account.session_end").exists()


# --- 三员分立 ----------------------------------------------------------------


@pytest.fixture
def trio(tree: Any) -> dict[str, Any]:
    return {
        "system": UserFactory(username="sys_d", role=Role.SYSTEM_ADMIN, unit=tree.district),
        "security": UserFactory(username="sec_d", role=Role.SECURITY_ADMIN, unit=tree.district),
        "audit": UserFactory(username="aud_d", role=Role.AUDIT_ADMIN, unit=tree.district),
    }


def test_it_gives_no_district_role_two_administrator_duties_when_separated(settings: Any) -> None:
    settings.SEPARATE_ADMIN_ROLES = True
    district_roles = [r for r in Role.values if Level.DISTRICT in ROLE_LEVELS[r]]
    combined = [r for r in district_roles if len(duties_of(r)) > 1]
    assert combined == [Role.DISTRICT_ADMIN]  # refused below, and its powers split
    for role in Role.values:
        held = [d for d in ("system", "security", "audit") if role_permissions(role) & PERMISSIONS[f"{d}_admin"]]
        assert len(held) <= 1 or Level.DISTRICT not in ROLE_LEVELS[role], role
    assert role_permissions(Role.DISTRICT_ADMIN).isdisjoint(
        {Perm.STAFF_MANAGE, Perm.ORG_MANAGE, Perm.CONFIG_MANAGE, Perm.SECURITY_MANAGE, Perm.AUDIT_VIEW}
    )


def test_it_keeps_each_administrator_to_their_duty(
    tree: Any, trio: dict[str, Any], as_user: Any, settings: Any
) -> None:
    settings.SEPARATE_ADMIN_ROLES = True
    system, security, audit = as_user(trio["system"]), as_user(trio["security"]), as_user(trio["audit"])
    # the system administrator: accounts and units, no audit log, no personal data
    assert system.get(reverse("accounts:staff_create")).status_code == 200
    assert system.get("/audit/").status_code == 403
    assert system.get("/people/").status_code == 403
    assert not can(trio["system"], Perm.VIEW)
    # the security administrator: settings and accounts' roles and locks, no audit log, no records
    assert security.get(reverse("accounts:security_settings")).status_code == 200
    assert security.get(reverse("accounts:staff_list")).status_code == 200
    assert security.get(reverse("accounts:staff_create")).status_code == 403
    edit = security.get(reverse("accounts:staff_edit", args=[trio["audit"].pk]))
    assert edit.status_code == 200 and b"reset-password" not in edit.content
    assert b"reset-password" in system.get(reverse("accounts:staff_edit", args=[trio["audit"].pk])).content
    assert security.get("/audit/").status_code == 403
    assert security.get("/people/").status_code == 403
    # the audit administrator: the audit log only
    assert audit.get("/audit/").status_code == 200
    assert audit.get(reverse("accounts:staff_list")).status_code == 403
    assert audit.get("/people/").status_code == 403
    # each lands on a page of their own
    assert system.get("/")["Location"] != "/" and audit.get("/")["Location"] == "/audit/"


def test_it_refuses_the_all_powerful_district_admin_when_separated(
    tree: Any, trio: dict[str, Any], settings: Any
) -> None:
    settings.SEPARATE_ADMIN_ROLES = True
    with pytest.raises(ValidationError) as refused, translation.override("zh-hans"):
        services.staff_create(
            actor=None,
            username="newadmin",
            full_name="林晓",
            role=Role.DISTRICT_ADMIN,
            unit=tree.district,
            password="Strong-pass-2026",
        )
    assert "一个账号不得同时承担系统、安全和审计管理" in refused.value.message_dict["role"][0]
    settings.SEPARATE_ADMIN_ROLES = False
    services.staff_create(
        actor=None,
        username="newadmin",
        full_name="林晓",
        role=Role.DISTRICT_ADMIN,
        unit=tree.district,
        password="Strong-pass-2026",
    )


def test_it_splits_an_existing_district_admin(tree: Any, admin: Any, as_user: Any, settings: Any) -> None:
    settings.SEPARATE_ADMIN_ROLES = True
    assert as_user(admin).get(reverse("accounts:staff_list")).status_code == 403
    assert as_user(admin).get("/audit/").status_code == 403
    assert as_user(admin).get("/people/").status_code == 200  # the district's work stays
    settings.SEPARATE_ADMIN_ROLES = False
    assert as_user(admin).get(reverse("accounts:staff_list")).status_code == 200


def test_it_lets_only_security_hand_out_administrator_roles(
    tree: Any, trio: dict[str, Any], worker: Any, settings: Any
) -> None:
    settings.SEPARATE_ADMIN_ROLES = True
    clerk = services.staff_create(
        actor=trio["system"],
        username="clerk_d",
        full_name="陈静",
        role=Role.VIEWER,
        unit=tree.district,
        password="Strong-pass-2026",
    )
    with pytest.raises(PermissionDenied):
        services.staff_create(
            actor=trio["system"],
            username="sec2_d",
            full_name="王芳",
            role=Role.SECURITY_ADMIN,
            unit=tree.district,
            password="Strong-pass-2026",
        )
    with pytest.raises(PermissionDenied):
        services.staff_update(actor=trio["system"], staff=clerk, role=Role.AUDIT_ADMIN)
    clerk.refresh_from_db()
    assert clerk.role == Role.VIEWER
    services.staff_update(actor=trio["security"], staff=clerk, role=Role.AUDIT_ADMIN, full_name=clerk.full_name)
    clerk.refresh_from_db()
    assert clerk.role == Role.AUDIT_ADMIN
    with pytest.raises(PermissionDenied):  # a role, not the account's other fields
        services.staff_update(actor=trio["security"], staff=clerk, full_name="改名")
    with pytest.raises(PermissionDenied):
        services.staff_unlock(actor=trio["system"], staff=worker)
    services.staff_unlock(actor=trio["security"], staff=worker)


def test_it_splits_a_district_admin_from_the_command_line(tree: Any, admin: Any, settings: Any) -> None:
    settings.SEPARATE_ADMIN_ROLES = True
    call_command("assign_role", username="admin_d", role=Role.SYSTEM_ADMIN)
    admin.refresh_from_db()
    assert admin.role == Role.SYSTEM_ADMIN
    assert AuditEvent.objects.get(action="staff.role_assign").changes == {"role": ["district_admin", "system_admin"]}
    with pytest.raises(CommandError), translation.override("zh-hans"):
        call_command("assign_role", username="admin_d", role=Role.DISTRICT_ADMIN)
    with pytest.raises(CommandError):
        call_command("assign_role", username="nobody", role=Role.AUDIT_ADMIN)


def test_it_starts_a_separated_district_with_a_system_administrator(db: Any, tmp_path: Path, settings: Any) -> None:
    settings.SEPARATE_ADMIN_ROLES = True
    secret = tmp_path / "password.txt"
    secret.write_text("Fengze2026go\n", encoding="utf-8")
    args = ["--code", "350503000000", "--name", "丰泽区", "--admin-username", "fz_sys", "--admin-name", "林晓"]
    call_command("create_district", *args, "--password-file", str(secret), stdout=io.StringIO())
    first = User.objects.get(username="fz_sys")
    assert first.role == Role.SYSTEM_ADMIN
    assert can(first, Perm.STAFF_MANAGE) and not can(first, Perm.VIEW)
