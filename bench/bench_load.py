"""Load: 200 simulated staff doing a day's mix against gunicorn on PostgreSQL.

A scratch PostgreSQL database migrated and loaded with the demo district;
Linli served by gunicorn with the deployment's own configuration
(deploy/gunicorn.conf.py), sessions and cache in Redis when one is reachable;
then bench/load_driver.py (locust) logs each simulated user in as one of the
demo's social workers or station leads and has it work with think time:
follow-ups, person search by pinyin prefix, a person's page, a visit posted
through the real form (CSRF and one-time token taken from the page), the
cases list and a case, and for leads the dashboard. Every visit carries a
mark of its own; afterwards the database is asked which marks it holds, so
each visit the client saw confirmed is proved to have landed (or not).

BENCH_LOAD_USERS (200), BENCH_LOAD_SECONDS (180, the steady state after
everyone has logged in), BENCH_LOAD_SPAWN_RATE (users arriving per second, 2),
BENCH_LOAD_THINK (seconds between actions, "2-10"), BENCH_LOAD_WORKERS
(gunicorn workers, 2 per core + 1), BENCH_LOAD_PORT (8130).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path
from typing import Any

from bench._child import PG_ADMIN, fresh_pg_database
from bench.bench_http import _env, _manage, _wait_for

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
USERS = int(os.environ.get("BENCH_LOAD_USERS", "200"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "180"))
SPAWN_RATE = float(os.environ.get("BENCH_LOAD_SPAWN_RATE", "2"))
THINK = os.environ.get("BENCH_LOAD_THINK", "2-10")
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
PORT = int(os.environ.get("BENCH_LOAD_PORT", "8130"))
REDIS_URL = "redis://127.0.0.1:6379/10"
PG_DB = "linli_bench_load"
ERROR_GOAL, P95_GOAL_MS = 0.01, 1000

# What the demo gives the simulated staff: their accounts and the residents'
# names in pinyin (to search by prefix, each account among the residents it
# sees), and the marks of visits afterwards.
PLAN_SHELL = """
import json
from accounts.models import User
from people.selectors import persons_visible
users = User.objects.filter(role__in=("social_worker", "station_lead"), is_active=True).order_by("username")
accounts = {r: [u.username for u in users if u.role == r] for r in ("social_worker", "station_lead")}
# each searches for the residents it serves
pinyin = {u.username: [p for p in persons_visible(u).values_list("name_pinyin", flat=True) if len(p) >= 2]
          for u in users}
print(json.dumps({"accounts": accounts, "pinyin": pinyin}))
"""
VISITS_SHELL = """
import json
from grading.models import Visit
marks = list(Visit.objects.filter(findings__startswith="load-bench ").values_list("findings", flat=True))
print(json.dumps({"visits": Visit.objects.count(), "marks": marks}))
"""


def _shell(env: dict[str, str], code: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _redis() -> str:
    """Sessions and cache in Redis as in production, on a database of the
    benchmark's own, emptied first (no cache left from another database)."""
    parsed = urllib.parse.urlparse(REDIS_URL)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            pass
    except OSError:
        return ""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    return REDIS_URL


def _drop_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


def _measure(database_url: str, redis_url: str) -> dict[str, Any]:
    data_dir = tempfile.mkdtemp(prefix="linli_bench_load_")
    env = _env(data_dir, redis_url, database_url)
    try:
        _manage(env, "migrate", "--noinput")
        _manage(env, "load_demo")
        plan = _shell(env, PLAN_SHELL)
        before = _shell(env, VISITS_SHELL)["visits"]
        base = f"http://127.0.0.1:{PORT}"
        plan.update(base=base, users=USERS, seconds=SECONDS, spawn_rate=SPAWN_RATE)
        plan_file = Path(data_dir) / "plan.json"
        server_env = {
            **env,
            "LINLI_BIND": f"127.0.0.1:{PORT}",
            "LINLI_WEB_WORKERS": str(WORKERS),
            "LINLI_ACCESS_LOG": str(Path(data_dir) / "access.log"),
            "LINLI_LOG_LEVEL": "warning",
        }
        with open(Path(data_dir) / "gunicorn.log", "w") as log:
            server = subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py")],
                cwd=ROOT,
                env=server_env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                _wait_for(f"{base}/healthz/ready", seconds=90)
                plan["server_pid"] = server.pid
                plan_file.write_text(json.dumps(plan), encoding="utf-8")
                load_before = os.getloadavg()[0]
                driven = subprocess.run(
                    [sys.executable, "-m", "bench.load_driver", str(plan_file)],
                    cwd=ROOT,
                    env={**os.environ, "BENCH_LOAD_THINK": THINK},
                    capture_output=True,
                    text=True,
                    timeout=SECONDS + 1800,
                )
                if driven.returncode != 0:
                    raise RuntimeError(f"the load driver failed:\n{driven.stderr[-3000:]}")
                result: dict[str, Any] = json.loads(driven.stdout.strip().splitlines()[-1])
            finally:
                server.terminate()
                server.wait(timeout=60)
        after = _shell(env, VISITS_SHELL)
        served = _served_ms(Path(data_dir) / "access.log")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    result.update(accounts=plan["accounts"], visits_before=before, visits_after=after["visits"], marks=after["marks"])
    result.update(load_before=load_before, served=served)
    return result


def _served_ms(access_log: Path) -> list[int]:
    """Time inside gunicorn of each request but the log-ins, sorted, from the
    access log (`... 200 1234 56ms`): the client's time beyond it is waiting for a free worker."""
    times = []
    for line in access_log.read_text(encoding="utf-8").splitlines():
        found = re.search(r'"(\w+) (\S+) [^"]*" \d+ \S+ (\d+)ms$', line)
        if found and not (found.group(1) == "POST" and found.group(2) == "/account/login/"):
            times.append(int(found.group(3)))
    return sorted(times)


def _percentile(values: list[int], share: float) -> int:
    return values[min(len(values) - 1, int(share * len(values)))] if values else 0


def _writes(result: dict[str, Any]) -> dict[str, int]:
    confirmed, stored = set(result["posted"]), result["marks"]
    found = set(stored)
    return {
        "confirmed": len(confirmed),
        "new_rows": result["visits_after"] - result["visits_before"],
        "lost": len(confirmed - found),
        "duplicates": len(stored) - len(found),
        # written but never confirmed to the client (a request cut off): not lost, reported
        "unconfirmed": len(found - confirmed),
    }


def _row(name: str, r: dict[str, Any], goal: bool = True) -> str:
    rate = r["failures"] / r["requests"] if r["requests"] else 0.0
    verdict = ("pass" if r["p95"] < P95_GOAL_MS and rate < ERROR_GOAL else "FAIL") if goal else "—"
    return (
        f"| {name} | {r['requests']} | {r['rps']:.1f} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} | "
        f"{r['failures']} ({rate:.2%}) | {verdict} |"
    )


def run() -> str:
    database_url = fresh_pg_database(PG_DB)
    if database_url is None:
        raise RuntimeError("the load benchmark needs PostgreSQL at 127.0.0.1:5432")
    redis_url = _redis()
    try:
        result = _measure(database_url, redis_url)
    finally:
        _drop_database()
    steady, ramp, writes = result["steady"], result["ramp"], _writes(result)
    requests = steady["total"]["requests"] + ramp["total"]["requests"]
    failures = steady["total"]["failures"] + ramp["total"]["failures"] + result["exceptions"]
    error_rate = failures / requests if requests else 1.0
    p95 = steady["total"]["p95"]
    goals = {
        "errors": error_rate < ERROR_GOAL,
        "p95": p95 < P95_GOAL_MS,
        "writes": writes["lost"] == 0 and writes["confirmed"] > 0,
    }
    accounts = result["accounts"]
    mean_load, max_load = result["load"]
    out = [
        "## Load: 200 simulated staff on gunicorn and PostgreSQL",
        "",
        f"{result['users']} simulated staff (locust as a library, bench/load_driver.py), each logged in as one of "
        f"the demo's {len(accounts['social_worker'])} social workers or {len(accounts['station_lead'])} station "
        f"leads (users spread over the accounts in proportion), arriving at {SPAWN_RATE:g} a second, then "
        f"{SECONDS} s of steady work with {THINK} s of think time between actions. The mix, by weight: "
        "follow-ups 4, person search by a pinyin prefix 3, a person's page 3, a visit posted through the real "
        "form (its page first: CSRF and one-time token from the HTML) 2, cases list and a case 2, and for "
        f"leads the dashboard 2. gunicorn with deploy/gunicorn.conf.py ({WORKERS} sync workers) on 127.0.0.1, "
        "a scratch PostgreSQL database with the demo district, sessions and cache in "
        f"{'Redis (as in production)' if redis_url else 'the database (no Redis reachable)'}. Static files "
        "are not fetched (nginx serves them in production). A redirect to the login page counts as an error.",
        "",
        f"Machine load average (1 min) {result['load_before']:.1f} before the run, {mean_load:.1f} on average "
        f"and {max_load:.1f} at most during the steady state, on {os.cpu_count()} cores shared with other work "
        "(the load driver runs on the same machine).",
        "",
        f"### Steady state ({steady['seconds']:.0f} s, everyone logged in)",
        "",
        "| kind | requests | req/s | p50 ms | p95 ms | p99 ms | errors | p95 < 1 s, errors < 1 % |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        *(_row(name, r) for name, r in steady["kinds"].items()),
        _row("**all**", steady["total"]),
        "",
        f"Arriving ({ramp['seconds']:.0f} s, not in the table): "
        + "; ".join(
            f"{name} {r['requests']} requests, p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms, {r['failures']} errors"
            for name, r in ramp["kinds"].items()
            if name.startswith("login")
        )
        + f"; all requests while arriving {ramp['total']['requests']}, p95 {ramp['total']['p95']:.0f} ms "
        "(a login hashes the password on purpose, PBKDF2).",
        "",
        f"Time inside gunicorn (its access log, the whole run, log-ins left out): p50 "
        f"{_percentile(result['served'], 0.5)} ms, p95 {_percentile(result['served'], 0.95)} ms over "
        f"{len(result['served'])} requests; the rest of the client's time is waiting for a free worker. "
        f"CPU in the steady state: gunicorn {steady['server_cpu']:.1f} s "
        f"({1000 * steady['server_cpu'] / max(1, steady['total']['requests']):.0f} ms a request, "
        f"{steady['server_cpu'] / steady['seconds']:.2f} of a core on average); the load driver "
        f"{result['cpu_seconds']:.1f} s over the whole run.",
        "",
        "| figure | value | goal | result |",
        "|---|---:|---|---|",
        f"| throughput, steady state | {steady['total']['rps']:.1f} req/s | — | — |",
        f"| p95, steady state, all requests | {p95:.0f} ms | < 1 s | {'pass' if goals['p95'] else 'FAIL'} |",
        f"| error rate, whole run (incl. arriving; {result['exceptions']} exceptions in the driver) | "
        f"{failures} of {requests} ({error_rate:.2%}) | < 1 % | {'pass' if goals['errors'] else 'FAIL'} |",
        f"| visits confirmed to the client (success redirect) | {writes['confirmed']} | — | — |",
        f"| new visit rows in the database | {writes['new_rows']} | — | — |",
        f"| lost writes (confirmed, not in the database) | {writes['lost']} | 0 | "
        f"{'pass' if goals['writes'] else 'FAIL'} |",
        f"| duplicated writes (one post, two rows) | {writes['duplicates']} | 0 | "
        f"{'pass' if writes['duplicates'] == 0 else 'FAIL'} |",
        f"| written but not confirmed (request cut off) | {writes['unconfirmed']} | — | — |",
        "",
        "Overall: **" + ("pass" if all(goals.values()) and writes["duplicates"] == 0 else "FAIL") + "**.",
    ]
    errors = ramp["errors"] + steady["errors"]
    if errors:
        out += ["", "Errors seen: " + "; ".join(f"{n}× {what}" for n, what in errors[:8]) + "."]
    return "\n".join(out)


if __name__ == "__main__":
    print(run())
