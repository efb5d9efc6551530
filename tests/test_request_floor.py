"""The request floor: what every request costs before its page does anything.

- A read writes nothing: every page of the left menu (read from core.registry,
  so a page added later is walked too), viewed again within the minute by
  each role that has it, issues no INSERT, UPDATE or DELETE (the idle timeout
  is renewed at most once a minute: accounts/session.py).
- The user, their unit and their role cost one query: on every menu page the
  user's row is read once, joined with the unit, and the unit is not read
  again on its own.
- The health checks: liveness touches nothing, readiness one query.
- The blank login page is drawn once per process (accounts/login_page.py):
  its later views are the same page with their own, working CSRF token.
- The CSP header built once (core/csp.py) is the one django-csp builds.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from csp.utils import build_policy
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import registry
from core.access import can
from tests.factories import PASSWORD, UserFactory
from tests.leakwalk import POPULATORS, Walk

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
LOGIN = "/account/login/"


def _menu() -> list[Any]:
    return [item for section in registry.menu() for item in section.items]


@pytest.fixture
def planted(tree: Any, admin: Any, lead: Any) -> Any:
    """One of every kind of record in station B (as the URL walk plants them),
    so that the pages draw rows and not only their empty state."""
    lead_b = UserFactory(username="lead_floor_b", role="station_lead", unit=tree.station_b)
    walk = Walk(tree=tree, insider=admin, outsider=lead, insiders=(admin, lead_b))
    for populate in POPULATORS:
        populate(walk)
    return tree


def _views(users: list[Any]) -> list[tuple[Any, Client, str]]:
    out = []
    for user in users:
        client = Client()
        client.force_login(user)
        out += [(user, client, reverse(item.url_name)) for item in _menu() if can(user, item.perm)]
    return out


def _second_view(client: Client, url: str) -> list[str]:
    client.get(url)  # the first view may renew the session or fill a cache
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url).status_code
    assert status in (200, 302), f"{url} answered {status}"  # 302: a page that sends a role on
    return [q["sql"] for q in ctx.captured_queries]


def _user_reads(sql: list[str], user: Any) -> list[str]:
    return [s for s in sql if re.search(rf'FROM "accounts_user".* WHERE "accounts_user"."id" = {user.pk}\b', s)]


def _unit_reads(sql: list[str], user: Any) -> list[str]:
    return [s for s in sql if re.search(rf'FROM "orgs_orgunit" WHERE "orgs_orgunit"."id" = {user.unit_id} LIMIT', s)]


def test_it_writes_nothing_and_reads_the_user_once_when_a_menu_page_is_read_again(
    planted: Any, admin: Any, lead: Any, worker: Any
) -> None:
    writing, user_reads = {}, {}
    with time_machine.travel(T0, tick=False):
        views = _views([admin, lead, worker])
        assert len(views) > 40  # the walk reached the menu
        for user, client, url in views:
            sql = _second_view(client, url)
            if writes := [s for s in sql if s.lstrip().upper().startswith(WRITES)]:
                writing[f"{user.username} {url}"] = writes
            reads, unit_alone = _user_reads(sql, user), _unit_reads(sql, user)
            if len(reads) != 1 or '"orgs_orgunit"' not in reads[0] or unit_alone:
                user_reads[f"{user.username} {url}"] = (len(reads), len(unit_alone))
    assert writing == {}
    assert user_reads == {}


def test_it_costs_a_logged_in_request_the_session_and_one_user_query(worker: Any) -> None:
    client = Client()
    client.force_login(worker)
    with time_machine.travel(T0, tick=False):
        client.get("/healthz/live")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/healthz/live").status_code == 200
    tables = [re.search(r'FROM "(\w+)"', q["sql"]).group(1) for q in ctx.captured_queries]  # type: ignore[union-attr]
    sessions_in_db = settings.SESSION_ENGINE == "core.sessions"
    assert tables == (["django_session"] if sessions_in_db else []) + ["accounts_user"]


@pytest.mark.parametrize(("path", "queries"), [("/healthz", 0), ("/healthz/live", 0), ("/healthz/ready", 1)])
def test_it_answers_the_health_checks_with_at_most_one_query(db: Any, path: str, queries: int) -> None:
    client = Client()
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    assert len(ctx.captured_queries) == queries


# --- the blank login page --------------------------------------------------------

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _page(client: Client, url: str = LOGIN, **headers: Any) -> tuple[str, str]:
    response = client.get(url, **headers)
    assert response.status_code == 200
    html = response.content.decode()
    tokens = set(_TOKEN.findall(html))
    assert len(tokens) == 1
    token = tokens.pop()
    return html.replace(token, "TOKEN"), token


def test_it_serves_the_blank_login_page_with_a_token_of_its_own_that_logs_in(worker: Any) -> None:
    first, first_token = _page(Client())
    browser = Client(enforce_csrf_checks=True)
    again, token = _page(browser)
    assert again == first and token != first_token
    with CaptureQueriesContext(connection) as ctx:
        _page(Client())
    assert len(ctx.captured_queries) == 0
    response = browser.post(LOGIN, {"username": "worker_a", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == "/"


def test_it_refuses_a_login_without_the_token_of_the_blank_page(worker: Any) -> None:
    browser = Client(enforce_csrf_checks=True)
    _page(browser)
    response = browser.post(LOGIN, {"username": "worker_a", "password": PASSWORD})
    assert response.status_code == 403


def test_it_draws_in_full_a_login_page_with_anything_of_its_own(worker: Any) -> None:
    blank, _token = _page(Client(), HTTP_ACCEPT_LANGUAGE="en")  # the kept page exists from here on
    with_next, _token = _page(Client(), f"{LOGIN}?next=/people/", HTTP_ACCEPT_LANGUAGE="en")
    assert 'name="next" value="/people/"' in with_next and with_next != blank
    chinese, _token = _page(Client(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese != blank
    timed_out = Client(HTTP_ACCEPT_LANGUAGE="en")
    timed_out.cookies[settings.SESSION_COOKIE_NAME] = "an-ended-session"
    assert timed_out.get("/people/").status_code == 302  # to the login page, with a message
    del timed_out.cookies[settings.SESSION_COOKIE_NAME]
    told, _token = _page(timed_out)
    assert "without activity" in told and "without activity" not in blank


def test_it_keeps_one_blank_login_page_per_rule_it_states(worker: Any) -> None:
    with override_settings(REQUIRE_2FA_FOR_ADMINS=False):
        optional, _token = _page(Client(), HTTP_ACCEPT_LANGUAGE="en")
    with override_settings(REQUIRE_2FA_FOR_ADMINS=True):
        required, _token = _page(Client(), HTTP_ACCEPT_LANGUAGE="en")
    assert "two-factor login is optional" in optional and "two-factor login is optional" not in required


# --- the CSP header ----------------------------------------------------------------


def test_it_sends_the_csp_header_django_csp_builds(db: Any) -> None:
    assert Client().get(LOGIN)["Content-Security-Policy"] == build_policy()
    policy = {"DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"], "img-src": ["'self'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        header = Client().get("/healthz/live")["Content-Security-Policy"]
        assert header == build_policy() and "blob:" not in header


def test_it_builds_the_csp_header_per_response_when_a_view_changes_the_policy(rf: Any) -> None:
    from csp.decorators import csp_update
    from django.http import HttpResponse

    from core.csp import CSPMiddleware

    view = csp_update({"img-src": ["https://tiles.example"]})(lambda request: HttpResponse("ok"))
    middleware = CSPMiddleware(view)
    request = rf.get("/")
    response = middleware(request)
    assert isinstance(response, HttpResponse)
    header = response["Content-Security-Policy"]
    assert "https://tiles.example" in header and header != build_policy()
