"""Person search at 100,000 residents, on SQLite and PostgreSQL.

The district is made by `manage.py make_district --residents 100000` (the
real code paths: pinyin, reversed phone digits, encrypted IDs, grading),
without visits, volunteers, service records or needs, which a search does not
read. Each database is built once and kept (SQLite under
LINLI_BENCH_CACHE/search, or BENCH_SEARCH_DIR, default /tmp/linli-bench-search;
PostgreSQL as database BENCH_SEARCH_PG_DB, default linli_bench_search, so that
engineers sharing a server keep their own): a rerun migrates it and measures at once.
BENCH_SEARCH_FRESH=1 builds both from scratch (about 15 minutes on a busy
2-core machine).

Per kind of term (pinyin prefix, initials, phone tail, ID tail, a Chinese
name, a Chinese given name found anywhere in the name), as the district
administrator (the widest scope): the residents list's queryset through
people.selectors (its count and its first page, what the list runs), and the
whole page /people/?q= through Django's test Client (middleware, session,
templates); median and p95 over repeated runs after a warm-up, the page's
query count, and the plan's reading of the residents (EXPLAIN).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench._child import PG_ADMIN, run_child

ROOT = Path(__file__).resolve().parent.parent
RESIDENTS = int(os.environ.get("BENCH_SEARCH_RESIDENTS", "100000"))
_SHARED_CACHE = os.environ.get("LINLI_BENCH_CACHE")
CACHE = (
    Path(_SHARED_CACHE) / "search"
    if _SHARED_CACHE
    else Path(os.environ.get("BENCH_SEARCH_DIR", "/tmp/linli-bench-search"))
)
FRESH = os.environ.get("BENCH_SEARCH_FRESH") == "1"
PG_DB = os.environ.get("BENCH_SEARCH_PG_DB", "linli_bench_search")
CODE = "350599000000"
RUNS = 15
GOALS_MS = {"SQLite": 60.0, "PostgreSQL": 30.0}
MAKE = [
    "make_district",
    f"--residents={RESIDENTS}",
    f"--code={CODE}",
    "--visits=0",
    "--volunteers=0",
    "--service-records=0",
    "--needs=0",
]


# ------------------------------------------------------------------ child side


def _terms() -> dict[str, str]:
    """One term per kind, read from the district itself (the most common
    surname's pinyin, a resident's phone and ID tails, a given name)."""
    from django.db.models import Count

    from core.access import under
    from people.models import Person

    people = under(Person.objects.all(), _district())
    top = people.values("name_pinyin", "name").order_by("pk").first()
    assert top is not None, "the district has no residents"
    surname = people.values("name").order_by().annotate(n=Count("pk")).order_by("-n").first()
    one = people.exclude(phone="").exclude(id_tail="").order_by("pk")[RESIDENTS // 3]
    name = surname["name"] if surname else top["name"]
    return {
        "pinyin prefix": "zhang",
        "initials": "zw",
        "phone tail": one.phone[-4:],
        "ID tail": one.id_tail,
        "Chinese name": name,
        "given name anywhere": name[1:] or name,
    }


def _district() -> Any:
    from orgs.models import OrgUnit

    return OrgUnit.objects.get(code=CODE)


def _timed(fn: Any) -> dict[str, float]:
    """Wall-clock median and p95, and the median of this process's CPU time
    (on SQLite the database's work too; on PostgreSQL the server's is not in it)."""
    fn()  # warm
    times, cpu = [], []
    for _ in range(RUNS):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "cpu": statistics.median(cpu),
    }


def _plan_reads(qs: Any, vendor: str) -> str:
    """How the plan reads the residents: the index ranges, or a full read."""
    plan = qs.explain()
    if vendor == "postgresql":
        scans = re.findall(r"((?:Bitmap Index|Index|Index Only|Seq) Scan (?:using|on) \S+(?: on people_person)?)", plan)
        return "; ".join(dict.fromkeys(s for s in scans if "orgunit" not in s))
    steps = re.findall(r"((?:SEARCH|SCAN) \S+(?: USING (?:COVERING )?INDEX \S+| USING INTEGER PRIMARY KEY)?)", plan)
    return "; ".join(dict.fromkeys(s for s in steps if "orgunit" not in s and "household" not in s))


def child(engine: str) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from core.access import under
    from orgs.models import OrgUnit
    from people import selectors
    from people.models import Person

    built = 0.0
    call_command("migrate", verbosity=0)
    if not OrgUnit.objects.filter(code=CODE).exists():
        t0 = time.perf_counter()
        call_command(*MAKE, stdout=open(os.devnull, "w"))
        built = time.perf_counter() - t0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE people_person")
            cursor.execute("ANALYZE")  # the units too: a planner that thinks the district has one unit walks it all
    admin = User.objects.get(unit=_district(), role="district_admin")
    client = Client()
    client.force_login(admin)
    rows: dict[str, Any] = {}
    for kind, term in _terms().items():
        qs = selectors.filter_persons(selectors.persons_visible(admin), q=term).order_by("name_pinyin", "name", "pk")
        url = "/people/"
        data = {"q": term}
        selector = _timed(lambda qs=qs: (qs.count(), list(qs[:20])))
        page = _timed(lambda url=url, data=data: client.get(url, data))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, data)
        assert response.status_code == 200, (kind, response.status_code)
        rows[kind] = {
            "term": term if kind in ("pinyin prefix", "initials") else "…",
            "found": qs.count(),
            "selector": selector,
            "page": page,
            "queries": len(ctx.captured_queries),
            "plan": _plan_reads(qs, connection.vendor),
        }
    return {
        "engine": engine,
        "residents": under(Person.objects.all(), _district()).count(),
        "built_s": built,
        "rows": rows,
    }


# ------------------------------------------------------------------ parent side


def _pg_url() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            if FRESH:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [PG_DB]).fetchone():
                conn.execute(f"CREATE DATABASE {PG_DB}")
    except Exception:
        return None
    return f"postgres://postgres@127.0.0.1:5432/{PG_DB}"


def run() -> str:
    sqlite_dir = CACHE / "sqlite"
    if FRESH and sqlite_dir.exists():
        shutil.rmtree(sqlite_dir)
    sqlite_dir.mkdir(parents=True, exist_ok=True)
    results = [
        run_child(
            "bench.bench_search",
            "SQLite",
            {"LINLI_DATA_DIR": str(sqlite_dir), "DATABASE_URL": f"sqlite:///{sqlite_dir}/linli.sqlite3"},
        )
    ]
    pg_url = _pg_url()
    if pg_url:
        pg_dir = CACHE / "pg"
        pg_dir.mkdir(parents=True, exist_ok=True)
        results.append(
            run_child("bench.bench_search", "PostgreSQL", {"DATABASE_URL": pg_url, "LINLI_DATA_DIR": str(pg_dir)})
        )
    lines = [
        f"## Person search at {RESIDENTS:,} residents",
        "",
        f"A district made by `manage.py {' '.join(MAKE)}` (8 stations × 10 communities, the real write paths), "
        "searched as its district administrator (every resident in scope). *Selector*: the residents list's "
        "queryset from people.selectors (its count and first page of 20, as the list runs them); *page*: "
        f"GET /people/?q= through Django's test Client. Median and p95 of {RUNS} runs after a warm-up. "
        "*Reads*: the plan's steps on the residents table (EXPLAIN). Goal: < 60 ms on SQLite and < 30 ms on "
        "PostgreSQL, judged on the selector's median; queries the same for every kind.",
        "",
        "| database | kind | found | selector median / p95 ms | selector CPU ms | page median / p95 ms "
        "| page CPU ms | page queries | reads | goal | result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for r in results:
        goal = GOALS_MS[r["engine"]]
        counts = {row["queries"] for row in r["rows"].values()}
        for kind, row in r["rows"].items():
            s, p = row["selector"], row["page"]
            ok = s["median"] < goal and len(counts) == 1
            label = f"{kind} ({row['term']})" if row["term"] != "…" else kind
            lines.append(
                f"| {r['engine']} | {label} | {row['found']:,} | {s['median']:.1f} / {s['p95']:.1f} | {s['cpu']:.1f} "
                f"| {p['median']:.1f} / {p['p95']:.1f} | {p['cpu']:.1f} | {row['queries']} | {row['plan']} "
                f"| < {goal:.0f} ms "
                f"| {'PASS' if ok else 'FAIL'} |"
            )
    lines.append("")
    lines.append(
        "Data: "
        + "; ".join(
            f"{r['engine']} {r['residents']:,} residents"
            + (f", built in {r['built_s']:.0f} s this run" if r["built_s"] else ", built by an earlier run")
            for r in results
        )
        + "."
    )
    lines.append(
        f"Load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work shared the "
        "machine; wall-clock figures include waiting for the CPU, the CPU columns are the measuring process's own "
        "time: with SQLite that includes the database, with PostgreSQL the server's share is not in it)."
    )
    if len(results) == 1:
        lines.append("PostgreSQL was not reachable: only SQLite ran.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
    print(json.dumps(child(sys.argv[1])))
