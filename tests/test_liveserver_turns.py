"""The browser tests' live server: requests that share the test's in-memory
SQLite connection take turns; requests with their own connections overlap."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace
from typing import Any

from django.core.servers.basehttp import WSGIRequestHandler
from django.test.testcases import LiveServerThread

from tests.browser import SharedConnectionServer, _take_turn


def _server(connections_override: dict[str, Any] | None) -> SharedConnectionServer:
    return SharedConnectionServer(
        ("127.0.0.1", 0), WSGIRequestHandler, allow_reuse_address=False, connections_override=connections_override
    )


def _most_at_once(connections_override: dict[str, Any] | None) -> int:
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

    server = _server(connections_override)
    try:
        server.set_app(app)
        wrapped = server.get_app()
        threads = [threading.Thread(target=wrapped, args=({}, None)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.server_close()
    return most


def test_it_makes_requests_on_a_shared_connection_take_turns() -> None:
    assert _most_at_once({"default": SimpleNamespace(execute_wrappers=[])}) == 1


def test_it_makes_the_tests_own_queries_wait_for_a_request_on_the_shared_connection() -> None:
    conn = SimpleNamespace(execute_wrappers=[])
    server = _server({"default": conn})
    try:
        server.set_app(lambda environ, start_response: [b"ok"])
        server.set_app(lambda environ, start_response: [b"ok"])  # a second start adds no second wrapper
    finally:
        server.server_close()
    assert conn.execute_wrappers == [_take_turn]
    order: list[str] = []
    request_started = threading.Event()

    def request() -> None:
        def app(environ: Any, start_response: Any) -> list[bytes]:
            request_started.set()
            time.sleep(0.05)
            order.append("request")
            return [b"ok"]

        server.set_app(app)
        wrapped: Any = server.get_app()
        wrapped({}, None)

    thread = threading.Thread(target=request)
    thread.start()
    request_started.wait()
    _take_turn(lambda *a: order.append("query"), "SELECT 1", (), False, {})
    thread.join()
    assert order == ["request", "query"]


def test_it_lets_requests_with_their_own_connections_overlap() -> None:
    assert _most_at_once(None) > 1


def test_it_is_the_server_every_live_server_uses() -> None:
    assert LiveServerThread.server_class is SharedConnectionServer
