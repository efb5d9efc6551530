"""Run inside the benchmark's scratch district (`python -m bench.http_pages`):
print, as JSON, every page the HTTP benchmark requests and the SQL queries
one view of it costs. The pages are every item of the left menu (from
core.registry, so a page added later is measured without touching the
benchmark) and the main record pages of station 1, the district
administrator's widest view. BENCH_HTTP_PAGES (comma-separated path
prefixes, e.g. ``/account/login/,/people/``) keeps only the pages whose path
starts with one of them."""

from __future__ import annotations

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from core import registry  # noqa: E402
from core.access import within  # noqa: E402
from orgs.models import OrgUnit  # noqa: E402

USERNAME = "admin"
STATION = "350502001000"
# Pages with their own goal in docs/benchmarks.md (issue "Fast where people wait").
KEY_PAGES = {"grading:followups", "people:person_list", "people:person_detail"}
# Record pages: URL name, the model whose first record in station 1 it shows.
RECORDS = [
    ("people:person_detail", "person_id", "people.Person"),
    ("people:household_detail", "household_id", "people.Household"),
    ("grading:person", "person_id", "people.Person"),
    ("casework:case_detail", "case_id", "casework.Case"),
    ("casework:person_timeline", "person_id", "people.Person"),
    ("casework:activity_detail", "activity_id", "casework.Activity"),
    ("volunteers:volunteer_detail", "volunteer_id", "volunteers.Volunteer"),
    ("matching:need_detail", "need_id", "matching.Need"),
    ("matching:run_detail", "run_id", "matching.MatchRun"),
    ("orgs:unit_detail", "unit_id", "orgs.OrgUnit"),
]


def _pages() -> list[dict[str, str]]:
    from django.apps import apps

    station = OrgUnit.objects.get(code=STATION)
    pages = [{"label": "Login page (signed out)", "path": reverse("accounts:login"), "kind": "login"}]
    pages.append({"label": "Home page", "path": "/", "kind": "home"})
    for section in registry.menu():
        for item in section.items:
            path = reverse(item.url_name)
            if path == "/":
                continue
            kind = "key" if item.url_name in KEY_PAGES else "page"
            pages.append({"label": f"{section.label} · {item.label}", "path": path, "kind": kind})
    pages.append(
        {"label": "Person search (pinyin prefix)", "path": reverse("people:person_list") + "?q=zhang", "kind": "key"}
    )
    for name, kwarg, label in RECORDS:
        model = apps.get_model(label)
        field = "parent" if label == "orgs.OrgUnit" else "unit"
        record = model.objects.filter(within(station, field)).order_by("pk").first()
        if record is None:
            continue
        kind = "key" if name in KEY_PAGES else "page"
        pages.append({"label": f"Record · {name}", "path": reverse(name, kwargs={kwarg: record.pk}), "kind": kind})
    return pages


def selected(pages: list[dict[str, str]]) -> list[dict[str, str]]:
    """The pages BENCH_HTTP_PAGES asks for (all of them when it is unset)."""
    prefixes = [p.strip() for p in os.environ.get("BENCH_HTTP_PAGES", "").split(",") if p.strip()]
    if not prefixes:
        return pages
    return [page for page in pages if page["path"].startswith(tuple(prefixes))]


def main() -> None:
    client = Client()
    client.force_login(User.objects.get(username=USERNAME))
    out = []
    for page in selected(_pages()):
        viewer = Client() if page["kind"] == "login" else client
        viewer.get(page["path"])  # warm per-process caches, as wrk's warm-up does
        with CaptureQueriesContext(connection) as ctx:
            status = viewer.get(page["path"]).status_code
        if status != 200:
            raise SystemExit(f"{page['path']} answered {status}")
        out.append({**page, "label": str(page["label"]), "queries": len(ctx.captured_queries)})
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
