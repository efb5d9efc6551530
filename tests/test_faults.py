"""Faults reach the user as waits or as a translated 503, never as 400/500,
and the health endpoints tell them apart: a write lock held by another
process, a database that cannot be reached, PostgreSQL dropping every
connection. Each runs gunicorn in its own process (tests/liveserver.py)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from tests import liveserver

UNAVAILABLE_ZH = "数据库暂时无法访问"
UNAVAILABLE_EN = "The database is unavailable at the moment"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: Any) -> Path:
    path: Path = tmp_path_factory.mktemp("faults")
    liveserver.prepare(liveserver.environment(path))
    return path


@contextmanager
def write_lock(db: Path, seconds: float | None) -> Iterator[threading.Event]:
    """Another process's writer: holds SQLite's write lock for `seconds`, or
    (None) until the block ends, however long a loaded machine takes to
    answer the requests made under it."""
    taken, released, done = threading.Event(), threading.Event(), threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        taken.set()
        if seconds is None:
            done.wait(120)
        else:
            time.sleep(seconds)
        conn.execute("ROLLBACK")
        conn.close()
        released.set()

    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait(10)
    try:
        yield released
    finally:
        done.set()
        thread.join()


def test_it_waits_out_a_short_write_lock(data_dir: Path) -> None:
    env = liveserver.environment(data_dir, LINLI_DB_LOCK_WAIT_SECONDS="10")
    with liveserver.serve(env) as base:
        session = requests.Session()
        form = liveserver.login_form(base, session)
        with write_lock(data_dir / "linli.sqlite3", 2) as released:
            started = time.monotonic()
            response = liveserver.post_login(base, session, form)
            waited = time.monotonic() - started
            assert released.is_set()  # it answered only after the lock was gone
        assert response.status_code == 302, response.text[:500]
        assert waited >= 1.5
        assert session.get(f"{base}/", timeout=30).status_code == 200


def test_it_answers_a_translated_503_while_the_lock_outlasts_the_wait(data_dir: Path) -> None:
    env = liveserver.environment(data_dir, LINLI_DB_LOCK_WAIT_SECONDS="1", LINLI_HEALTH_TIMEOUT_SECONDS="1")
    with liveserver.serve(env) as base:
        session = requests.Session()
        form = liveserver.login_form(base, session)
        with write_lock(data_dir / "linli.sqlite3", None):
            zh = liveserver.post_login(base, session, form)
            en = liveserver.post_login(base, session, form, cookies={"django_language": "en"})
            ready = requests.get(f"{base}/healthz/ready", timeout=30)
            live = requests.get(f"{base}/healthz/live", timeout=30)
        assert zh.status_code == 503 and UNAVAILABLE_ZH in zh.text and '<html lang="zh-hans">' in zh.text
        assert zh.headers["Retry-After"]
        assert en.status_code == 503 and UNAVAILABLE_EN in en.text
        assert ready.status_code == 503 and ready.json()["failed"] == ["database"]
        assert live.status_code == 200
        # once the lock is gone the same login goes through
        assert liveserver.post_login(base, session, form).status_code == 302
        assert requests.get(f"{base}/healthz/ready", timeout=30).json() == {
            "status": "ok",
            "failed": [],
            "checks": {"database": "ok", "cache": "ok", "queue": "ok", "storage": "ok"},
        }


def test_it_answers_503_page_and_json_when_the_database_cannot_be_reached(data_dir: Path) -> None:
    env = liveserver.environment(data_dir, DATABASE_URL="postgres://linli@127.0.0.1:1/nowhere")
    with liveserver.serve(env) as base:
        cookies = {"sessionid": "x" * 32}  # a session to look up: the first thing that needs the database
        page = requests.get(f"{base}/", cookies=cookies, timeout=30, allow_redirects=False)
        english = requests.get(f"{base}/", cookies={**cookies, "django_language": "en"}, timeout=30)
        api = requests.get(f"{base}/api/v1/me", headers={"Authorization": "Bearer " + "t" * 40}, timeout=30)
        ready = requests.get(f"{base}/healthz/ready", timeout=30)
        assert requests.get(f"{base}/healthz", timeout=30).status_code == 200
    assert page.status_code == 503 and UNAVAILABLE_ZH in page.text
    assert english.status_code == 503 and UNAVAILABLE_EN in english.text
    assert api.status_code == 503 and api.headers["Content-Type"] == "application/json"
    assert UNAVAILABLE_ZH in api.json()["detail"]
    assert ready.status_code == 503 and "database" in ready.json()["failed"]


@pytest.mark.skipif(liveserver.postgres_url() is None, reason="needs DATABASE_URL on PostgreSQL")
def test_it_survives_postgresql_dropping_every_connection(tmp_path: Path) -> None:
    import psycopg

    with liveserver.postgres_database("faults") as (url, admin):
        env = liveserver.environment(tmp_path, DATABASE_URL=url)
        liveserver.prepare(env)
        with liveserver.serve(env, workers=2) as base:
            session = requests.Session()
            assert liveserver.post_login(base, session, liveserver.login_form(base, session)).status_code == 302
            for _ in range(4):  # every worker holds a kept connection
                assert session.get(f"{base}/", timeout=30).status_code == 200
            with psycopg.connect(admin, autocommit=True) as conn:
                dropped = conn.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s",
                    [url.rsplit("/", 1)[1]],
                ).fetchone()
            assert dropped and dropped[0] >= 1
            statuses = [session.get(f"{base}/", timeout=30).status_code for _ in range(6)]
        assert statuses == [200] * 6


@pytest.mark.django_db
def test_it_takes_a_locked_database_on_session_save_for_an_outage_not_a_lost_session() -> None:
    """Django's own store turns any database error on saving a session into
    "the session was deleted meanwhile", which its middleware answers with 400."""
    from unittest import mock

    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.models import Session
    from django.db import OperationalError

    from core.sessions import SessionStore

    store = SessionStore()
    store["step"] = 1
    store.create()
    store["step"] = 2
    with mock.patch.object(Session, "save", side_effect=OperationalError("database is locked")):
        with pytest.raises(OperationalError):
            store.save()
    Session.objects.filter(session_key=store.session_key).delete()
    with pytest.raises(UpdateError):  # a session really deleted meanwhile is still that
        store.save()
