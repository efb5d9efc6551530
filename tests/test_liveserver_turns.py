"""The browser tests' live server: over the in-memory SQLite test database
requests take turns (with each other and with the test's own statements);
over PostgreSQL they overlap."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.core.servers.basehttp import WSGIRequestHandler
from django.test.testcases import LiveServerThread

from tests import browser
from tests.browser import SharedConnectionServer, _take_turn


def _serving(app: Any) -> Any:
    server = SharedConnectionServer(("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=False)
    try:
        server.set_app(app)
        return server.get_app()
    finally:
        server.server_close()


def _most_at_once() -> int:
    inside, most, guard = 0, 0, threading.Lock()

    def app(environ: Any, start_response: Any) -> list[bytes]:
        nonlocal inside, most
        with guard:
            inside += 1
            most = max(most, inside)
        time.sleep(0.05)
        with guard:
            inside -= 1
        return [b"ok"]

    wrapped = _serving(app)
    threads = [threading.Thread(target=wrapped, args=({}, None)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return most


def test_it_makes_requests_over_an_in_memory_database_take_turns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "shares_memory_db", lambda: True)
    assert _most_at_once() == 1


def test_it_lets_requests_overlap_over_a_real_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "shares_memory_db", lambda: False)
    assert _most_at_once() > 1


def test_it_makes_the_tests_own_statements_wait_for_a_request(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browser, "shares_memory_db", lambda: True)
    order: list[str] = []
    started = threading.Event()

    def app(environ: Any, start_response: Any) -> list[bytes]:
        started.set()
        time.sleep(0.05)
        order.append("request")
        return [b"ok"]

    wrapped = _serving(app)
    thread = threading.Thread(target=wrapped, args=({}, None))
    thread.start()
    started.wait()
    _take_turn(lambda *a: order.append("statement"), "SELECT 1", (), False, {})
    thread.join()
    assert order == ["request", "statement"]


def test_it_is_the_server_every_live_server_uses() -> None:
    assert LiveServerThread.server_class is SharedConnectionServer


@pytest.mark.django_db(transaction=True)
def test_it_really_closes_a_finished_requests_connection() -> None:
    from django.db import connections

    if not browser.shares_memory_db():
        pytest.skip("PostgreSQL: the connections are closed as Django closes them")
    seen: list[Any] = []

    def request_thread() -> None:
        conn = connections["default"]
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1")
        browser._close_own_connections()
        seen.append(conn.connection)

    thread = threading.Thread(target=request_thread)
    thread.start()
    thread.join()
    assert seen == [None]
    with connections["default"].cursor() as cursor:  # the test's own connection, and the data, remain
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        assert cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_it_leaves_open_the_tests_own_connection_handed_to_the_server() -> None:
    from django.db import connections

    conn = connections["default"]
    conn.ensure_connection()
    conn.inc_thread_sharing()
    try:
        browser._close_own_connections()
        assert conn.connection is not None
    finally:
        conn.dec_thread_sharing()
