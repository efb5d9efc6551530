"""Idle sessions: renewed at most once a minute, the htmx-aware login redirect,
the keep-alive endpoint and what pages need for drafts and the warning."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grading.models import Card, Visit
from grading.tests.factories import graded
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
LOGIN = "/account/login/"
KEEPALIVE = "/account/session/keepalive/"
ZH: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _session_writes(client: Client, url: str = "/") -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum(
        1
        for q in queries
        if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    )


def _logged_in(username: str = "worker_a") -> Client:
    client = Client()
    assert client.post(LOGIN, {"username": username, "password": PASSWORD}).status_code == 302
    return client


# --- once-a-minute renewal ------------------------------------------------------


def test_it_writes_the_session_at_most_once_a_minute(worker: Any) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        client = _logged_in()
        clock.shift(timedelta(seconds=10))
        assert _session_writes(client) == 0  # a read within the minute writes nothing
        clock.shift(timedelta(seconds=40))
        assert _session_writes(client) == 0
        clock.shift(timedelta(seconds=11))  # 61 s after the login's write
        assert _session_writes(client) == 1
        clock.shift(timedelta(seconds=5))
        assert _session_writes(client) == 0


def test_it_keeps_the_idle_timeout_exact_to_within_a_minute(worker: Any) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        client = _logged_in()
        for _ in range(40):  # 40 × 50 s of activity: longer than the timeout
            clock.shift(timedelta(seconds=50))
            assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=29) - timedelta(seconds=1))
        assert client.get("/").status_code == 200  # still on, at worst a minute short
    with time_machine.travel(T0, tick=False) as clock:
        client = _logged_in()
        clock.shift(timedelta(seconds=50))
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=30, seconds=1))
        response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_it_tells_htmx_how_long_the_session_lasts(worker: Any) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        client = _logged_in()
        clock.shift(timedelta(seconds=30))
        response = client.get(reverse("grading:followups"), HTTP_HX_REQUEST="true")
    assert response["X-Session-Left"] == str(30 * 60 - 30)
    assert "X-Session-Left" not in client.get("/")


# --- login redirect -------------------------------------------------------------


def test_it_sends_an_anonymous_htmx_request_to_login_with_the_page_it_came_from(tree: Any) -> None:
    response = Client().get(
        "/grading/person/1/visit/",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/grading/followups/?show=overdue",
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/account/login/?next=/grading/followups/%3Fshow%3Doverdue"
    assert response.content == b""  # nothing for htmx to swap into the row


def test_it_never_sends_htmx_to_another_sites_page(tree: Any) -> None:
    response = Client().post(
        "/grading/person/1/visit/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="https://evil.example/x/"
    )
    assert response["HX-Redirect"] == LOGIN


def test_it_redirects_a_plain_anonymous_post_to_login_with_next(tree: Any) -> None:
    response = Client().post("/grading/person/7/visit/?from=list", {"findings": "x"})
    assert response.status_code == 302
    assert response["Location"] == "/account/login/?next=/grading/person/7/visit/%3Ffrom%3Dlist"
    assert "HX-Redirect" not in response


def test_it_explains_a_timed_out_htmx_post_and_saves_nothing(tree: Any, worker: Any) -> None:
    person = graded(tree.a1, Card.RED)
    with time_machine.travel(T0, tick=False) as clock:
        client = _logged_in()
        clock.shift(timedelta(minutes=31))
        response = client.post(
            reverse("grading:visit_new", args=[person.pk]),
            {"mode": "home", "visited_on": "2026-11-23", "findings": "老人精神不错"},
            HTTP_HX_REQUEST="true",
            HTTP_HX_CURRENT_URL="http://testserver/grading/followups/",
            **ZH,
        )
        assert response["HX-Redirect"] == "/account/login/?next=/grading/followups/"
        login_page = client.get(response["HX-Redirect"], **ZH)
    assert not Visit.objects.exists()
    assert "30 分钟无操作" in login_page.content.decode()


# --- keep-alive -----------------------------------------------------------------


def test_it_answers_401_to_an_anonymous_keepalive() -> None:
    client = Client()
    response = client.post(KEEPALIVE)
    assert response.status_code == 401
    assert response.json() == {"left": 0}
    assert client.get(KEEPALIVE).status_code == 405


def test_it_renews_only_the_callers_session_on_keepalive(worker: Any, colleague: Any) -> None:
    with time_machine.travel(T0, tick=False) as clock:
        mine = _logged_in("worker_a")
        theirs = _logged_in("colleague_a")
        clock.shift(timedelta(seconds=20))
        response = mine.post(KEEPALIVE)
        assert response.status_code == 200
        assert response.json() == {"left": 30 * 60}  # renewed even within the minute
        clock.shift(timedelta(minutes=29, seconds=50))  # 30:10 after login, 29:50 after the ping
        assert mine.get("/").status_code == 200
        assert theirs.get("/").status_code == 302


def test_it_refuses_a_keepalive_without_csrf(worker: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(worker)
    assert client.post(KEEPALIVE).status_code == 403


# --- the page's side ------------------------------------------------------------


def test_it_gives_logged_in_pages_the_session_and_draft_settings(worker: Any, as_user: Any) -> None:
    html = as_user(worker).get("/").content.decode()
    assert f'data-user="{worker.pk}"' in html
    assert 'data-session-left="1800"' in html
    assert 'data-session-warn="120"' in html
    assert 'data-session-renew="60"' in html
    assert 'data-draft-ttl="86400"' in html
    assert 'id="draft-notice-tpl"' in html
    login_html = Client().get(LOGIN).content.decode()
    assert "data-user=" not in login_html
    assert "session-warning-tpl" not in login_html


def test_it_shortens_renewal_and_warning_for_short_timeouts(worker: Any, as_user: Any, settings: Any) -> None:
    settings.SESSION_COOKIE_AGE = 60
    html = as_user(worker).get("/").content.decode()
    assert 'data-session-warn="15"' in html
    assert 'data-session-renew="15"' in html


def test_it_marks_note_forms_for_drafts(tree: Any, worker: Any, as_user: Any) -> None:
    from matching.forms import NeedForm

    assert NeedForm.keeps_draft
    client = as_user(worker)
    html = client.get(reverse("matching:need_create")).content.decode()
    assert f'data-draft="{reverse("matching:need_create")}"' in html
    assert "data-draft-discard=" in html
    person = graded(tree.a1, Card.RED)
    row_form = client.get(reverse("grading:visit_new", args=[person.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert f'data-draft="/grading/person/{person.pk}/visit/"' in row_form
    page = client.get(reverse("grading:visit_new", args=[person.pk])).content.decode()
    assert f'data-draft="/grading/person/{person.pk}/visit/"' in page  # the same draft as in the row


def test_it_asks_the_browser_to_drop_drafts_on_logout(worker: Any) -> None:
    response = _logged_in().post(reverse("accounts:logout"))
    assert response["Clear-Site-Data"] == '"storage"'
