"""Browser-test fixtures: the `playwright` package driving Debian's chromium
against pytest-django's live server. The root conftest loads this module as a
plugin, so tests just ask for the `page` fixture (and import `login_as`,
`PHONE`, `DESKTOP` from here). Importing the fixtures into a test module
would start a second Playwright in the same process, which Playwright refuses.

A failed browser test leaves a screenshot in test-artifacts/.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test.testcases import LiveServerThread

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


# Held by a request of the live server for its whole run, and by the test's
# own statements one at a time, while the test database is SQLite in memory.
TURN = threading.RLock()


def _take_turn(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    with TURN:
        return execute(sql, params, many, context)


def shares_memory_db() -> bool:
    return any(c.vendor == "sqlite" and c.is_in_memory_db() for c in connections.all())  # type: ignore[attr-defined]


def _close_own_connections() -> None:
    """Really close this thread's connections to the in-memory database
    (Django keeps them open, lest the data go; the test's own connection
    keeps it), so no statement of a finished request holds a table lock."""
    for conn in connections.all(initialized_only=True):
        # Not the test's own connection, when Django handed it to the server.
        shared = conn.allow_thread_sharing
        if conn.vendor == "sqlite" and conn.is_in_memory_db() and not shared:  # type: ignore[attr-defined]
            BaseDatabaseWrapper.close(conn)


class SharedConnectionServer(ThreadedWSGIServer):
    """The live server, one request at a time over an in-memory SQLite database.

    On SQLite the test database lives in memory in SQLite's shared-cache mode:
    every request thread (and the test itself) has its own connection to it,
    and the shared cache locks whole tables, failing at once ("database table
    is locked") instead of waiting as a database file does. Two requests at
    once, say two donors claiming one wish, would then fail where a
    deployment waits. There each request takes its turn, from its first
    statement to its connection's close, and the test's statements take theirs
    (the `page` fixture); on PostgreSQL requests truly overlap. Decided per
    request: the server may start before the test database exists.
    """

    def set_app(self, application: Any) -> None:
        def taking_turns(environ: Any, start_response: Any) -> Any:
            if not shares_memory_db():
                return application(environ, start_response)
            with TURN:
                response = application(environ, start_response)
                try:
                    return [b"".join(response)]
                finally:
                    if hasattr(response, "close"):
                        response.close()  # request_finished, inside the turn
                    _close_own_connections()

        super().set_app(taking_turns)


LiveServerThread.server_class = SharedConnectionServer


@pytest.fixture(scope="session", name="browser")
def _browser() -> Iterator[Any]:
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # calls made by the test itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture(name="page")
def _page(request: Any, browser: Any, live_server: Any, django_db_serialized_rollback: None) -> Iterator[Any]:
    # Browser tests are transactional: the database is flushed after each one,
    # which would also remove the rows data migrations seed (categories,
    # service domains, …). Serialized rollback reloads them for every test.
    viewport = getattr(request, "param", None) or DESKTOP
    context = browser.new_context(viewport=viewport, base_url=live_server.url, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    with connection.execute_wrapper(_take_turn) if shares_memory_db() else nullcontext():
        yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def login_as(page: Any, username: str, password: str) -> None:
    page.goto("/account/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
