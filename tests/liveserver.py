"""Linli as it runs in production, for tests that need more than one process:
a data directory migrated by `manage.py`, gunicorn serving it (access, error
and application logs in files of the data directory), and a logged-in
`requests` session. Each server is a separate process with its own
connections, so a lock or a dropped connection reaches it as it would a
deployed worker, and a test sees what a client and the server's own logs see,
which the in-process test client does not."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
USERNAME = "live_worker"
PASSWORD = "Live-server-2026"
# A server over a database of its own: the PostgreSQL pass of the suite would
# only repeat what the SQLite pass did.
once_per_run = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a live server over its own SQLite database: runs on the SQLite pass",
)


def environment(data_dir: Path, **overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINLI_", "DJANGO_", "PYTEST"))}
    for name in ("DATABASE_URL", "REDIS_URL", "DEBUG"):
        env.pop(name, None)
    env.update(LINLI_ENV="development", LINLI_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="linli.settings")
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def prepare(env: dict[str, str]) -> None:
    """Migrate and add one social worker at a station."""
    manage(env, "migrate", "--noinput", "-v0")
    manage(
        env,
        "shell",
        "-c",
        "from tests.factories import UserFactory, build_tree; "
        f"UserFactory(username={USERNAME!r}, role='social_worker', unit=build_tree().station_a, "
        f"password={PASSWORD!r})",
    )


def demo_district(env: dict[str, str]) -> None:
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo")


def api_token(env: dict[str, str], username: str) -> str:
    code = (
        "from accounts.models import User; from accounts.services import api_token_create; "
        f"print(api_token_create(user=User.objects.get(username={username!r}), name='live test'))"
    )
    return manage(env, "shell", "-c", code).split()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    url: str
    data_dir: Path
    # Everything the server writes: gunicorn's access and error logs, and the
    # application's own output (Django's log goes to the console).
    logs: list[Path]


@contextmanager
def running(env: dict[str, str], *, workers: int = 1, timeout: int = 120) -> Iterator[Server]:
    data_dir = Path(env["LINLI_DATA_DIR"])
    port = free_port()
    access, errors, output = (data_dir / f"{name}.log" for name in ("access", "error", "server"))
    log = output.open("w")  # closed below
    command = [sys.executable, "-m", "gunicorn", "linli.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--timeout", str(timeout)]
    command += ["--access-logfile", str(access), "--error-logfile", str(errors)]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**env, "PYTHONPATH": str(ROOT)}, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, output.read_text()[-3000:]
            try:
                if requests.get(f"{base}/healthz/live", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or still loading the app
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield Server(url=base, data_dir=data_dir, logs=[access, errors, output])
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@contextmanager
def serve(env: dict[str, str], *, workers: int = 1) -> Iterator[str]:
    """A running server's address."""
    with running(env, workers=workers, timeout=60) as server:
        yield server.url


def login_form(base: str, session: requests.Session) -> dict[str, str]:
    page = session.get(f"{base}/account/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    return {"csrfmiddlewaretoken": token.group(1), "username": USERNAME, "password": PASSWORD}


def post_login(
    base: str, session: requests.Session, form: dict[str, str], *, cookies: dict[str, str] | None = None
) -> requests.Response:
    return session.post(
        f"{base}/account/login/",
        data=form,
        cookies=cookies,
        allow_redirects=False,
        timeout=60,
        headers={"Referer": base},
    )


def postgres_url() -> str | None:
    """The PostgreSQL server the suite runs on (DATABASE_URL), if any."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else None


@contextmanager
def postgres_database(suffix: str) -> Iterator[tuple[str, str]]:
    """A new, empty database beside the suite's own: (its URL, an admin DSN)."""
    import dj_database_url
    import psycopg

    base = postgres_url()
    assert base, "needs DATABASE_URL on PostgreSQL"
    config = dj_database_url.parse(base)
    name = f"{config['NAME']}_{suffix}"
    admin = f"host={config['HOST']} port={config['PORT'] or 5432} user={config['USER']} dbname=postgres"
    if config["PASSWORD"]:
        admin += f" password={config['PASSWORD']}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}", admin
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
