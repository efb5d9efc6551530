"""A real Linli server in its own process (gunicorn, access log on), over its
own SQLite database in a temporary data directory: for the tests that must see
what a client and the server's own logs see, which the in-process test client
does not."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

# The server has a database of its own, so the PostgreSQL pass of the suite
# would only repeat the SQLite one.
once_per_run = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a live server over its own SQLite database: runs on the SQLite pass",
)


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env.update(LINLI_ENV="test", LINLI_DATA_DIR=str(data_dir), LOG_LEVEL="INFO", PYTHONPATH=str(BASE_DIR))
    return env


def manage(data_dir: Path, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=_env(data_dir),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def demo_district(data_dir: Path) -> Path:
    manage(data_dir, "migrate", "--noinput", "-v0")
    manage(data_dir, "load_demo")
    return data_dir


def api_token(data_dir: Path, username: str) -> str:
    code = (
        "from accounts.models import User; from accounts.services import api_token_create; "
        f"print(api_token_create(user=User.objects.get(username={username!r}), name='live test'))"
    )
    return manage(data_dir, "shell", "-c", code).split()[-1]


def _free_port() -> int:
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
def running(data_dir: Path) -> Iterator[Server]:
    port = _free_port()
    access, errors, output = (data_dir / n for n in ("access.log", "error.log", "server.log"))
    with output.open("w") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "linli.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"),
                *("--access-logfile", str(access), "--error-logfile", str(errors), "--timeout", "120"),
            ],
            cwd=BASE_DIR,
            env=_env(data_dir),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_for(url + "/api/openapi.json", process)
            yield Server(url=url, data_dir=data_dir, logs=[access, errors, output])
        finally:
            process.terminate()
            process.wait(timeout=30)


def _wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server stopped while starting"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"no answer from {url}")
