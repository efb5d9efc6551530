"""Linli on more than one machine: two app servers with separate data
directories (no shared disk) served with deploy/gunicorn.conf.py, one
background worker, PostgreSQL, Redis and an S3-compatible store (moto in
server mode), all started here. What a user does on one server holds on the
other: the login, an import uploaded on one and confirmed on the other, a
report built by the worker, a matching run; two simultaneous run starts give
one run."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import requests

from core.demo import DEMO_PASSWORD
from tests.liveserver import environment, free_port, manage
from tests.s3server import S3, s3_server

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
REDIS = ("127.0.0.1", 6379)
REDIS_DB = 12


def _reachable(host: str, port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex((host, port)) == 0


pytestmark = [
    pytest.mark.skipif(
        not (_reachable("127.0.0.1", 5432) and _reachable(*REDIS)), reason="the cluster needs PostgreSQL and Redis"
    ),
    # It brings its own PostgreSQL database: once per run, on the SQLite pass.
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="the cluster has a database of its own: runs on the SQLite pass",
    ),
]


@contextmanager
def _gunicorn(env: dict[str, str]) -> Iterator[str]:
    """One app server, configured by the deployment's own gunicorn file."""
    port = free_port()
    log = open(Path(env["LINLI_DATA_DIR"]) / "gunicorn.log", "w")  # closed below
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py")],
        cwd=ROOT,
        env={**env, "LINLI_BIND": f"127.0.0.1:{port}", "LINLI_WEB_WORKERS": "2"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, Path(log.name).read_text()[-3000:]
            try:
                if requests.get(f"{base}/healthz/ready", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet
                pass
            assert time.monotonic() < deadline, Path(log.name).read_text()[-3000:]
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@contextmanager
def _worker(env: dict[str, str]) -> Iterator[None]:
    log = open(Path(env["LINLI_DATA_DIR"]) / "worker.log", "w")  # closed below
    process = subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--quiet"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        time.sleep(1)
        assert process.poll() is None, Path(log.name).read_text()[-3000:]
        yield
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@contextmanager
def _database() -> Iterator[str]:
    import psycopg

    name = f"linli_cluster_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@contextmanager
def _redis() -> Iterator[str]:
    import redis

    client = redis.Redis(host=REDIS[0], port=REDIS[1], db=REDIS_DB)
    client.flushdb()
    try:
        yield f"redis://{REDIS[0]}:{REDIS[1]}/{REDIS_DB}"
    finally:
        client.flushdb()


@dataclass
class Cluster:
    a: str
    b: str
    s3: S3

    def login(self, base: str, username: str = "admin") -> requests.Session:
        session = requests.Session()
        form = _form_fields(session.get(f"{base}/account/login/", timeout=30).text, "username")
        form.update(username=username, password=DEMO_PASSWORD)
        answer = session.post(
            f"{base}/account/login/", data=form, headers={"Referer": base}, allow_redirects=False, timeout=60
        )
        assert answer.status_code == 302, answer.text[:500]
        return session


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with _database() as database_url, _redis() as redis_url, s3_server("linli-cluster") as s3:
        # Every run goes to the worker, so that a run is still open when a second start arrives.
        shared = {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "LINLI_MATCH_BACKGROUND_NEEDS": "0",
            **s3.environment(),
        }
        envs = [environment(tmp_path_factory.mktemp(name), **shared) for name in ("host_a", "host_b", "worker")]
        manage(envs[0], "migrate", "--noinput", "-v0")
        manage(envs[0], "load_demo")
        with _worker(envs[2]), _gunicorn(envs[0]) as a, _gunicorn(envs[1]) as b:
            yield Cluster(a=a, b=b, s3=s3)


_FILE = "<file>"


class _Forms(HTMLParser):
    """The fields of each form on a page, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in {"checkbox", "radio", "submit"}:
            self.forms[-1][a["name"]] = _FILE if a.get("type") == "file" else a.get("value", "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and ("selected" in a or self._select not in self.forms[-1]):
            self.forms[-1][self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def _form_fields(html: str, having: str) -> dict[str, str]:
    """The first form on the page with a field named `having` (file fields
    are left for the caller to send)."""
    parser = _Forms()
    parser.feed(html)
    found = [f for f in parser.forms if having in f]
    assert found, f"no form with {having!r} on the page"
    return {k: v for k, v in found[0].items() if v is not _FILE}


def test_it_keeps_a_login_from_one_server_on_the_other(cluster: Cluster) -> None:
    session = cluster.login(cluster.a)
    answer = session.get(f"{cluster.b}/people/", allow_redirects=False, timeout=30)
    assert answer.status_code == 200, answer.headers.get("Location")
    assert 'name="username"' not in answer.text


def _roster(session: requests.Session, base: str) -> bytes:
    """The import template downloaded from the server, with one resident."""
    from openpyxl import load_workbook

    from core.identity import make_resident_id

    template = session.get(f"{base}/people/import/template/", timeout=30)
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    sheet = book.worksheets[0]
    headers = [str(c.value or "").rstrip("*") for c in sheet[1]]
    number = make_resident_id("350502", dt.date(1941, 3, 9), 731, "F")
    values = {"姓名": "集群测试", "身份证号": number, "社区": "350502001001", "联系电话": "13905951234"}
    sheet.append([values.get(h, "") for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _until(session: Any, url: str, marker: str, what: str) -> str:
    deadline = time.monotonic() + 120
    while marker not in (text := session.get(url, timeout=30).text):
        assert time.monotonic() < deadline, f"the worker did not {what}: {text[-1500:]}"
        time.sleep(0.5)
    return text


def test_it_confirms_on_one_server_an_import_uploaded_on_the_other(cluster: Cluster) -> None:
    session = cluster.login(cluster.a)
    page = session.get(f"{cluster.a}/people/import/", timeout=30).text
    fields = _form_fields(page, "file")
    xlsx = _roster(session, cluster.a)
    files = {"file": ("roster.xlsx", xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
    answer = session.post(
        f"{cluster.a}/people/import/", data=fields, files=files, headers={"Referer": cluster.a}, timeout=60
    )
    job = re.search(r"/people/import/(\d+)/", answer.url)
    assert job, answer.url
    path = job.group(0)
    checked = _until(session, cluster.a + path, 'data-testid="import-commit"', "check the upload")
    # the checked rows wait in the shared store, not on host A's disk
    assert any(name.endswith(".rows") for name in cluster.s3.names()), cluster.s3.names()
    confirm = _form_fields(checked, "_once")
    done = session.post(cluster.b + path, data=confirm, headers={"Referer": cluster.b}, timeout=60)
    assert done.status_code == 200
    _until(session, cluster.b + path, 'data-testid="import-done"', "save the checked rows")
    assert "集群测试" in session.get(f"{cluster.a}/people/?q=集群测试", timeout=30).text


def test_it_downloads_from_both_servers_a_report_built_by_the_worker(cluster: Cluster) -> None:
    session = cluster.login(cluster.a)
    fields = _form_fields(session.get(f"{cluster.a}/reports/", timeout=30).text, "period_kind")
    fields.update(period_kind="month", fmt="xlsx")
    answer = session.post(f"{cluster.a}/reports/", data=fields, headers={"Referer": cluster.a}, timeout=60)
    job = re.search(r"/reports/jobs/(\d+)/", answer.url)
    assert job, answer.url
    download = f"/reports/jobs/{job.group(1)}/download/"
    deadline = time.monotonic() + 120
    while (first := session.get(cluster.a + download, timeout=60)).status_code != 200:
        assert time.monotonic() < deadline, f"the worker did not build the report: {first.status_code}"
        time.sleep(1)
    second = session.get(cluster.b + download, timeout=60)
    assert second.status_code == 200 and second.content == first.content
    assert first.content[:2] == b"PK"  # an xlsx


def _start_run(session: requests.Session, base: str) -> requests.Response:
    fields = _form_fields(session.get(f"{base}/matching/runs/new/", timeout=30).text, "unit")
    return session.post(f"{base}/matching/runs/new/", data=fields, headers={"Referer": base}, timeout=120)


def _finished(session: requests.Session, base: str, run_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:
        run = session.get(f"{base}/api/v1/runs/{run_id}", timeout=30).json()
        if run.get("status") not in {"queued", "running"}:
            return run
        assert time.monotonic() < deadline, run
        time.sleep(1)


def test_it_starts_one_run_when_two_servers_start_it_at_once(cluster: Cluster) -> None:
    # Runs first of the two run tests, while the station still has open needs
    # (a run goes to the worker and stays open while the second start arrives).
    sessions = [cluster.login(cluster.a, "lead01"), cluster.login(cluster.b, "lead01")]
    before = sessions[0].get(f"{cluster.a}/api/v1/runs", timeout=30).json()
    forms = [
        _form_fields(s.get(f"{base}/matching/runs/new/", timeout=30).text, "unit")
        for s, base in zip(sessions, (cluster.a, cluster.b), strict=True)
    ]
    answers: list[requests.Response] = []
    gate = threading.Barrier(2)

    def start(session: requests.Session, base: str, fields: dict[str, str]) -> None:
        gate.wait()
        answers.append(session.post(f"{base}/matching/runs/new/", data=fields, headers={"Referer": base}, timeout=120))

    threads = [
        threading.Thread(target=start, args=(s, base, f))
        for s, base, f in zip(sessions, (cluster.a, cluster.b), forms, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    after = sessions[0].get(f"{cluster.a}/api/v1/runs", timeout=30).json()
    assert len(after) == len(before) + 1
    assert sorted(a.status_code for a in answers) == [200, 200]
    landed = [a for a in answers if re.search(r"/matching/runs/\d+/$", a.url)]
    assert len(landed) == 1, [a.url for a in answers]
    (loser,) = [a for a in answers if a not in landed]
    assert "仍在进行" in loser.text or "still in progress" in loser.text, loser.text[-2000:]


def test_it_reads_a_matching_run_alike_on_both_servers(cluster: Cluster) -> None:
    session = cluster.login(cluster.a)
    started = _start_run(session, cluster.a)
    run_id = re.search(r"/matching/runs/(\d+)/", started.url)
    assert run_id, started.url
    on_a = _finished(session, cluster.a, run_id.group(1))
    on_b = _finished(session, cluster.b, run_id.group(1))
    assert on_a == on_b
    proposals = [
        session.get(f"{base}/api/v1/runs/{run_id.group(1)}/proposals", timeout=30).json()
        for base in (cluster.a, cluster.b)
    ]
    assert proposals[0] == proposals[1]
