"""What in-process page benchmarks share: run the measuring half in a child
process against a scratch database, and make that database on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def run_child(module: str, engine: str, env_extra: dict[str, str]) -> dict[str, Any]:
    """Run `python -m <module> <engine>` and return the JSON its last line prints."""
    env = {**os.environ, **env_extra, "DJANGO_SETTINGS_MODULE": "linli.settings", "LINLI_ENV": "development"}
    env.pop("DEBUG", None)
    out = subprocess.run(
        [sys.executable, "-m", module, engine], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800
    )
    if out.returncode != 0:
        raise RuntimeError(f"{engine} benchmark failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def fresh_pg_database(name: str) -> str | None:
    """Drop and create database `name`; its URL, or None without PostgreSQL."""
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
    except Exception:
        return None
    return f"postgres://postgres@127.0.0.1:5432/{name}"
