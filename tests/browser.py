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
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
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


# Held by a request for its whole run and by the test's own queries for each
# statement, when both use the test's one in-memory SQLite connection.
TURN = threading.RLock()


def _take_turn(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    with TURN:
        return execute(sql, params, many, context)


class SharedConnectionServer(ThreadedWSGIServer):
    """The live server, one request at a time when its threads share a connection.

    On SQLite the test database lives in memory, so every request thread of
    the live server is handed the test's one connection. Two requests at once
    would then run inside one transaction (the second's atomic() a savepoint
    of the first), and a query of the test itself could land in the middle of
    a request's: no deployment does that, and the audit chain's lock, a
    conditional claim and every version check would see each other's
    uncommitted rows. There requests and the test's statements take turns; on
    PostgreSQL each thread has its own connection and requests truly overlap.
    """

    def set_app(self, application: Any) -> None:
        if self.connections_override:
            for conn in self.connections_override.values():
                if _take_turn not in conn.execute_wrappers:
                    conn.execute_wrappers.append(_take_turn)
            inner = application

            def application(environ: Any, start_response: Any) -> Any:
                with TURN:
                    return inner(environ, start_response)

        super().set_app(application)


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
