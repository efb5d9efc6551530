"""403, 404 and 500 speak the user's language, keep the site's layout and
offer a way back, with DEBUG off as in production."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

from core import errors


def _boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the database went away")


urlpatterns = [path("boom/", _boom), path("", include("linli.urls"))]
handler500 = "core.errors.server_error"

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def _english(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


@override_settings(DEBUG=False)
def test_it_shows_a_chinese_404_in_the_layout_with_a_way_back(worker: Any, as_user: Any) -> None:
    client = as_user(worker)
    page = client.get("/no/such/page/")
    body = page.content.decode()
    assert page.status_code == 404
    assert '<html lang="zh-hans">' in body and "找不到该页面" in body
    assert 'class="topbar"' in body and "退出登录" in body  # the site's layout, signed in
    assert 'href="/"' in body and "返回首页" in body
    _english(client)
    body = client.get("/no/such/page/").content.decode()
    assert "Page not found" in body and "Back to the home page" in body


@override_settings(DEBUG=False)
def test_it_shows_a_chinese_403_for_a_page_the_role_may_not_see(worker: Any, as_user: Any) -> None:
    client = as_user(worker)
    page = client.get("/audit/")
    assert page.status_code == 403
    body = page.content.decode()
    assert "没有权限" in body and "返回首页" in body and 'class="topbar"' in body
    _english(client)
    assert "No access" in client.get("/audit/").content.decode()


@override_settings(DEBUG=False)
def test_it_shows_a_chinese_500_without_the_request_context(worker: Any, as_user: Any) -> None:
    client = as_user(worker)
    client.raise_request_exception = False
    page = client.get("/boom/")
    assert page.status_code == 500
    body = page.content.decode()
    assert "系统出错了" in body and "返回首页" in body and 'class="topbar"' in body
    assert "the database went away" not in body
    _english(client)
    assert "Something went wrong" in client.get("/boom/").content.decode()


def test_it_still_says_it_in_words_when_the_layout_fails(monkeypatch: pytest.MonkeyPatch, rf: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("template store unreachable")

    monkeypatch.setattr(errors, "render_to_string", broken)
    request = rf.get("/")
    request.LANGUAGE_CODE = "en"
    assert "Something went wrong" in errors.server_error(request).content.decode()
    del request.LANGUAGE_CODE  # the error happened before the language was known
    page = errors.server_error(request)
    assert page.status_code == 500 and "系统出错了" in page.content.decode()


@override_settings(DEBUG=False)
def test_it_explains_an_expired_form_in_chinese(worker: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    page = client.post("/i18n/setlang/", {"language": "en"})
    assert page.status_code == 403
    assert "表单已过期" in page.content.decode()


def test_it_uses_the_translated_500_handler_for_the_site() -> None:
    from linli import urls

    assert urls.handler500 == "core.errors.server_error"
