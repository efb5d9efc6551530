"""`manage.py create_district`: a real district and its first administrator,
refusing bad input in Chinese and leaving nothing half-made."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from audit.models import AuditEvent
from core.roles import Level, Role
from orgs.models import OrgUnit

pytestmark = pytest.mark.django_db

ARGS = ["--code", "350503000000", "--name", "丰泽区", "--admin-username", "fz_admin", "--admin-name", "林晓"]


def _counts() -> tuple[int, int, int]:
    return OrgUnit.objects.count(), User.objects.count(), AuditEvent.objects.count()


def _create(*args: str, password: str | None = "Fengze2026go", tmp_path: Path | None = None) -> str:
    extra: list[str] = []
    if password is not None and tmp_path is not None:
        secret = tmp_path / "password.txt"
        secret.write_text(password + "\n", encoding="utf-8")
        extra = ["--password-file", str(secret)]
    out = io.StringIO()
    with translation.override("zh-hans"):
        call_command("create_district", *args, *extra, stdout=out)
    return out.getvalue()


def _refused(*args: str, tmp_path: Path, password: str = "Fengze2026go") -> str:
    before = _counts()
    with pytest.raises(CommandError) as exc:
        _create(*args, password=password, tmp_path=tmp_path)
    assert _counts() == before  # nothing half-made
    return str(exc.value)


def test_it_creates_an_empty_district_and_its_administrator(tmp_path: Path) -> None:
    out = _create(*ARGS, tmp_path=tmp_path)
    district = OrgUnit.objects.get(code="350503000000")
    assert (district.level, district.name, district.path, district.parent) == (
        Level.DISTRICT,
        "丰泽区",
        "350503/",
        None,
    )
    assert not district.children.exists()
    admin = User.objects.get(username="fz_admin")
    assert (admin.role, admin.unit, admin.full_name) == (Role.DISTRICT_ADMIN, district, "林晓")
    assert admin.must_change_password and admin.check_password("Fengze2026go")
    assert "丰泽区" in out and "fz_admin" in out and "Fengze2026go" not in out
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {"orgunit.create", "staff.create"}


def test_it_lets_the_new_administrator_do_the_rest_in_the_pages(tmp_path: Path) -> None:
    _create(*ARGS, tmp_path=tmp_path)
    client = Client()
    login = client.post("/account/login/", {"username": "fz_admin", "password": "Fengze2026go"})
    assert login["Location"].startswith(reverse("accounts:password_change"))
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": "Fengze2026go", "new_password1": "Quanzhou-88x", "new_password2": "Quanzhou-88x"},
    )
    assert changed.status_code == 302
    district = OrgUnit.objects.get(code="350503000000")
    station = client.post(
        reverse("orgs:unit_create", args=[district.pk]), {"name": "东海街道社工站", "code": "350503001000"}
    )
    assert station.status_code == 302
    assert OrgUnit.objects.get(code="350503001000").parent == district


def test_it_prints_a_one_time_password_without_a_terminal_or_file() -> None:
    out = _create(*ARGS, password=None)
    found = re.search(r"一次性密码：(\S+)", out)
    assert found is not None, out
    password = found.group(1)
    admin = User.objects.get(username="fz_admin")
    assert admin.check_password(password) and admin.must_change_password


def test_it_asks_for_the_password_twice_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    answers = iter(["Fengze2026go", "Fengze2026go"])
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    _create(*ARGS, password=None)
    assert User.objects.get(username="fz_admin").check_password("Fengze2026go")
    answers = iter(["Fengze2026go", "Fengze2026gp"])
    before = _counts()
    with pytest.raises(CommandError, match="两次输入的密码不一致"):
        _create(
            "--code", "350504000000", "--name", "洛江区", "--admin-username", "lj", "--admin-name", "陈", password=None
        )
    assert _counts() == before


def test_it_refuses_an_existing_code(tmp_path: Path) -> None:
    _create(*ARGS, tmp_path=tmp_path)
    again = ["--code", "350503000000", "--name", "另一个区", "--admin-username", "other", "--admin-name", "王五"]
    assert "已有其他单位使用区划代码 350503000000" in _refused(*again, tmp_path=tmp_path)


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("35050300000", "必须是 12 位数字"),  # 11 digits
        ("３５０５０３０００００0", "必须是 12 位数字"),  # full-width digits
        ("350503001000", "区级代码以六个 0 结尾"),  # a station's code
        ("", "必须是 12 位数字"),
    ],
)
def test_it_refuses_a_malformed_code_in_chinese(tmp_path: Path, code: str, fragment: str) -> None:
    args = ["--code", code, *ARGS[2:]]
    message = _refused(*args, tmp_path=tmp_path)
    assert message.startswith("区划代码") and fragment in message, message


@pytest.mark.parametrize(
    ("password", "fragment"),
    [("12345678", "太常见"), ("abc12", "密码太短"), ("shequfuwuzhan", "字母和数字"), ("fz_admin2026", "用户名")],
)
def test_it_refuses_a_weak_password_in_chinese(tmp_path: Path, password: str, fragment: str) -> None:
    message = _refused(*ARGS, tmp_path=tmp_path, password=password)
    assert message.startswith("密码") and fragment in message, message


def test_it_refuses_a_taken_username_a_blank_name_and_an_empty_password_file(tmp_path: Path, admin: Any) -> None:
    taken = ["--code", "350503000000", "--name", "丰泽区", "--admin-username", "ADMIN_D", "--admin-name", "林晓"]
    assert "用户名已被占用" in _refused(*taken, tmp_path=tmp_path)
    blank = ["--code", "350503000000", "--name", " ", "--admin-username", "fz_admin", "--admin-name", "林晓"]
    assert "区名称" in _refused(*blank, tmp_path=tmp_path)
    nameless = ["--code", "350503000000", "--name", "丰泽区", "--admin-username", "fz_admin", "--admin-name", ""]
    assert "管理员姓名" in _refused(*nameless, tmp_path=tmp_path)
    assert "密码文件是空的" in _refused(*ARGS, tmp_path=tmp_path, password="")
