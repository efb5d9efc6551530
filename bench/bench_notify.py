"""The daily scheduler and the home page's to-do inbox over a synthetic
district (`manage.py make_district`): 10,000 recipients with a year of
visits, and 500 staff (the district's own plus social workers added to reach
the number, each made responsible for recipients of their community).

Measured in a child process per database (the database is chosen when
settings load), on scratch SQLite and scratch PostgreSQL:

- everyone's to-do items (`home.inbox.inbox_for`) and digests
  (`home.digest.digest_contents`) for 100 staff and for 500: the queries must
  not grow with the number of staff;
- one run of the scheduler (`notifications.scheduler.run_once`, every rule,
  everyone on a daily digest), then the same run again (it must tell nobody);
- the home page with a full inbox, in-process through the test client, for a
  social worker, a station lead and the district administrator: uncached
  (every figure and to-do kind computed) and as served (the body cached per
  user for LINLI_HOME_COUNTERS_SECONDS): p95 and queries."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._child import fresh_pg_database, run_child

ROOT = Path(__file__).resolve().parent.parent
RESIDENTS = int(os.environ.get("BENCH_NOTIFY_RESIDENTS", "10000"))
STAFF = int(os.environ.get("BENCH_NOTIFY_STAFF", "500"))
FEW = 100
RUNS = 30
GOAL_SCHEDULER_S = 30.0
GOAL_HOME_MS = 100.0
PG_DB = "linli_bench_notify"


# ------------------------------------------------------------------ child side


def _more_staff(total: int) -> None:
    """Social workers added in bulk (no password: they never log in here),
    round-robin over the communities, and the recipients of each community
    shared out among its workers."""
    from accounts.models import User
    from core.roles import Level, Role
    from grading.models import PersonGrade
    from orgs.models import OrgUnit

    communities = list(OrgUnit.objects.filter(level=Level.COMMUNITY).order_by("path"))
    have = User.objects.filter(unit__isnull=False).count()
    extra = [
        User(
            username=f"bench_sw{i:04d}",
            full_name=f"社工{i:04d}",
            role=Role.SOCIAL_WORKER,
            unit=communities[i % len(communities)],
            password="!",
        )
        for i in range(max(0, total - have))
    ]
    User.objects.bulk_create(extra, batch_size=500)
    workers: dict[int, list[int]] = {}
    for uid, unit_id in User.objects.filter(role=Role.SOCIAL_WORKER).values_list("id", "unit_id"):
        workers.setdefault(unit_id, []).append(uid)
    grades = list(PersonGrade.objects.only("id", "unit_id", "responsible_id"))
    for i, g in enumerate(grades):
        pool = workers.get(g.unit_id)
        if pool:
            g.responsible_id = pool[i % len(pool)]
    PersonGrade.objects.bulk_update(grades, ["responsible"], batch_size=2000)


def _queries(fn: Any) -> tuple[float, int, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        out = fn()
        seconds = time.perf_counter() - t0
    return seconds, len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]), out


def _page(client: Any) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/")
    times = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        response = client.get("/")
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get("/")
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[int(0.95 * (len(times) - 1))],
        "queries": len([q for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]),
        "todo": response.content.decode().count('class="todo'),
    }


def child(engine: str) -> dict[str, Any]:
    import datetime as dt
    from io import StringIO

    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from core.roles import Level, Role
    from home.digest import digest_contents
    from home.inbox import inbox_for
    from notifications.models import DistrictPreference, Notification
    from notifications.scheduler import run_once
    from orgs.models import OrgUnit

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    call_command("make_district", residents=RESIDENTS, stations=10, communities=10, seed=1, stdout=StringIO())
    _more_staff(STAFF)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    made_s = time.perf_counter() - t0
    staff = list(User.objects.filter(unit__isnull=False, is_active=True).select_related("unit").order_by("pk"))
    now = timezone.now()
    result: dict[str, Any] = {"engine": engine, "made_s": made_s, "staff": len(staff)}
    few_s, few_q, _ = _queries(lambda: inbox_for(staff[:FEW], now=now))
    all_s, all_q, rows = _queries(lambda: inbox_for(staff, now=now))
    result["inbox"] = {"few_q": few_q, "few_s": few_s, "all_q": all_q, "all_s": all_s}
    result["items"] = sum(len(r) for r in rows.values())
    dfew_s, dfew_q, _ = _queries(lambda: digest_contents(staff[:FEW], now=now))
    dall_s, dall_q, _ = _queries(lambda: digest_contents(staff, now=now))
    result["digest"] = {"few_q": dfew_q, "few_s": dfew_s, "all_q": dall_q, "all_s": dall_s}
    district = OrgUnit.objects.get(level=Level.DISTRICT, code="350599000000")
    DistrictPreference.objects.create(district=district, channels=["email"], digest_at=dt.time(0, 0))
    first_s, first_q, first = _queries(lambda: run_once(now=now))
    again_s, again_q, again = _queries(lambda: run_once(now=now))
    result["scheduler"] = {
        "first_s": first_s,
        "first_q": first_q,
        "told": first.told,
        "again_s": again_s,
        "again_q": again_q,
        "again_total": again.total,
        "notifications": Notification.objects.count(),
    }
    pages = {}
    for who, user in (
        (
            "social worker",
            User.objects.filter(role=Role.SOCIAL_WORKER, unit__level=Level.COMMUNITY).order_by("pk").first(),
        ),
        ("station lead", User.objects.filter(role=Role.STATION_LEAD).order_by("pk").first()),
        ("district admin", User.objects.filter(role=Role.DISTRICT_ADMIN, unit=district).first()),
    ):
        assert user is not None  # make_district made one of each
        client = Client()
        client.force_login(user)
        settings.HOME_COUNTERS_SECONDS = 0
        uncached = _page(client)
        settings.HOME_COUNTERS_SECONDS = 30
        cache.clear()
        served = _page(client)
        pages[who] = {"uncached": uncached, "served": served}
    result["pages"] = pages
    return result


# ------------------------------------------------------------------ parent side


def _section(results: list[dict[str, Any]]) -> str:
    lines = [
        "## Notifications: the daily scheduler and the home inbox",
        "",
        f"`bench/bench_notify.py`: `make_district --residents {RESIDENTS:,} --stations 10 --communities 10` "
        f"(a year of visits) plus social workers to {STAFF} staff, each responsible for recipients of their "
        "community. In-process, one child process per database.",
        "",
        "| database | what | goal | figure |",
        "|---|---|---|---|",
    ]
    for r in results:
        e = r["engine"]
        i, d, s = r["inbox"], r["digest"], r["scheduler"]
        lines += [
            f"| {e} | everyone's to-do items, {FEW} → {r['staff']} staff | queries flat | "
            f"{i['few_q']} → {i['all_q']} queries, {i['few_s']:.2f} s → {i['all_s']:.2f} s ({r['items']} items) |",
            f"| {e} | everyone's digests, {FEW} → {r['staff']} staff | queries flat | "
            f"{d['few_q']} → {d['all_q']} queries, {d['few_s']:.2f} s → {d['all_s']:.2f} s |",
            f"| {e} | scheduler, first run (every rule, digests for all) | < {GOAL_SCHEDULER_S:.0f} s | "
            f"{s['first_s']:.1f} s, {s['first_q']} queries, {s['notifications']} notifications |",
            f"| {e} | scheduler, same moment again | tells nobody | "
            f"{s['again_s']:.1f} s, {s['again_q']} queries, {s['again_total']} told |",
        ]
        for who, p in r["pages"].items():
            u, v = p["uncached"], p["served"]
            lines.append(
                f"| {e} | home page, {who} ({u['todo']} to-do rows) | p95 < {GOAL_HOME_MS:.0f} ms, constant queries | "
                f"uncached p95 {u['p95']:.0f} ms ({u['queries']} queries); served p95 {v['p95']:.1f} ms "
                f"({v['queries']} queries) |"
            )
    lines += [
        "",
        "Rules told on the first run: "
        + "; ".join(f"{k} {v}" for k, v in results[0]["scheduler"]["told"].items())
        + ".",
    ]
    return "\n".join(lines)


def run() -> str:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(
            run_child(
                "bench.bench_notify",
                "sqlite",
                {"DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3", "LINLI_DATA_DIR": tmp},
            )
        )
    pg = fresh_pg_database(PG_DB)
    if pg:
        with tempfile.TemporaryDirectory() as tmp:
            results.append(run_child("bench.bench_notify", "postgresql", {"DATABASE_URL": pg, "LINLI_DATA_DIR": tmp}))
    return _section(results)


if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1]), default=str))
