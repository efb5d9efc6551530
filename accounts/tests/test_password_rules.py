"""Passwords built from the username, the name in pinyin or the demo
password are refused, each with a Chinese message."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import User
from accounts.validators import name_pinyin


def _errors(password: str, user: User | None = None) -> str:
    with translation.override("zh-hans"):
        try:
            validate_password(password, user)
        except ValidationError as exc:
            return " ".join(exc.messages)
    return ""


ZHANG = User(username="sw08", full_name="张伟")


@pytest.mark.parametrize(
    ("password", "user", "fragment"),
    [
        ("ab12", None, "密码太短：至少需要 8 个字符"),
        ("Zhang.Wei-2026", ZHANG, "姓名的拼音"),
        ("weizhang88", ZHANG, "姓名的拼音"),
        ("Xiaoming2026", User(username="sw09", full_name="王小明"), "姓名的拼音"),
        ("Lulei2026x", User(username="sw10", full_name="吕磊"), "姓名的拼音"),  # 吕 typed "lu" rather than "lv"
        ("Admin2026x", User(username="fz_admin", full_name="林晓"), "用户名"),
        ("xx-sw01a-2026", User(username="sw01a", full_name="林晓"), "用户名"),
        ("Linli2026demo", None, "公开的演示密码"),
        ("LINLI2026DEMO!", ZHANG, "公开的演示密码"),
    ],
)
def test_it_refuses_passwords_built_from_what_others_know(password: str, user: User | None, fragment: str) -> None:
    assert fragment in _errors(password, user)


@pytest.mark.parametrize(
    ("password", "user"),
    [
        ("Quanzhou-88x", ZHANG),  # a place, not the person
        ("Wei7-shequ-2026", ZHANG),  # a 3-letter syllable alone is too common a fragment to refuse
        ("Passw0rd-test", User(username="user12", full_name="李丽")),
        ("Lin9li-shequ", User(username="cw0101", full_name="林立")),
    ],
)
def test_it_accepts_passwords_that_only_share_a_fragment(password: str, user: User) -> None:
    assert _errors(password, user) == ""


def test_it_spells_a_name_the_ways_people_type_it() -> None:
    assert {"zhangwei", "weizhang"} <= name_pinyin("张伟")
    assert "xiaoming" in name_pinyin("王小明")
    assert name_pinyin("Wang Fang") >= {"wangfang"}
    assert name_pinyin("") == set() and name_pinyin("李") == set()
