"""The simulated staff of the load benchmark (bench/bench_load.py), driven by
locust as a library. Run as `python -m bench.load_driver <plan.json>`; the last
line printed is the JSON of the figures. A process of its own, because locust
patches the standard library for gevent on import."""

from __future__ import annotations

import itertools
import json
import logging
import os
import random
import re
import sys
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import locust
from locust.env import Environment
from locust.log import setup_logging

PASSWORD = "Linli2026demo"
PLAN: dict[str, Any] = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")) if __name__ == "__main__" else {}
VISIT_LINK = re.compile(r"/grading/person/(\d+)/visit/")
PERSON_LINK = re.compile(r'href="/people/(\d+)/"')
CASE_LINK = re.compile(r'href="/services/cases/(\d+)/"')
# Every visit the benchmark posts says so, with its own id: the rows are counted by it afterwards.
MARK = "load-bench "
posted: list[str] = []  # the marks of visits the server confirmed with its success redirect
arrived = itertools.count(1)  # users through on_start (logged in, or failed to)
signed_in = 0


class _Form(HTMLParser):
    """The fields a browser would send from the first form holding `having`."""

    def __init__(self, having: str) -> None:
        super().__init__()
        self.having = having
        self.forms: list[dict[str, str]] = []
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({})
        elif not self.forms:
            return
        elif tag in {"input", "textarea"} and a.get("name") and a.get("type") not in {"checkbox", "radio", "submit"}:
            self.forms[-1][a["name"]] = a.get("value", "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and ("selected" in a or self._select not in self.forms[-1]):
            self.forms[-1][self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None

    def fields(self, html: str) -> dict[str, str] | None:
        self.feed(html)
        return next((f for f in self.forms if self.having in f), None)


def _think() -> tuple[float, float]:
    low, _, high = os.environ.get("BENCH_LOAD_THINK", "2-10").partition("-")
    return float(low), float(high or low)


class Staff(locust.HttpUser):
    """A worker at a desk or on a phone: logs in once, then works through the
    day's follow-ups, looks people up, logs visits and opens cases."""

    abstract = True
    wait_time = locust.between(*_think())
    role: ClassVar[str] = ""
    _turn: ClassVar[itertools.count[int]]

    def on_start(self) -> None:
        accounts = PLAN["accounts"][self.role]
        self.username = accounts[next(self._turn) % len(accounts)]
        self.due: list[str] = []
        self.people: list[str] = []
        self.cases: list[str] = []
        with self.client.get("/account/login/", name="login (form)", catch_response=True) as page:
            form = _Form("username").fields(page.text) or {}
        form.update(username=self.username, password=PASSWORD)
        with self.client.post(
            "/account/login/",
            data=form,
            name="login",
            headers=self._referer(),
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"login of {self.username} answered {answer.status_code}")
        global signed_in
        signed_in = next(arrived)

    def _referer(self) -> dict[str, str]:
        return {"Referer": f"{self.host}/"}

    def _page(self, path: str, name: str) -> str:
        """GET a page; a bounce to the login page is a failure too."""
        with self.client.get(path, name=name, catch_response=True) as page:
            if page.url and "/account/login/" in page.url:
                page.failure("signed out")
            return page.text or ""

    @locust.task(4)
    def followups(self) -> None:
        self.due = VISIT_LINK.findall(self._page("/grading/followups/", "follow-ups"))

    @locust.task(3)
    def search(self) -> None:
        pinyin = random.choice(PLAN["pinyin"][self.username])
        prefix = pinyin[: random.randint(2, 4)]
        self.people = PERSON_LINK.findall(self._page(f"/people/?q={prefix}", "person search"))

    @locust.task(3)
    def person(self) -> None:
        if self.people:
            self._page(f"/people/{random.choice(self.people)}/", "person")

    @locust.task(2)
    def visit(self) -> None:
        """Open the visit form of someone on the list and post it, as the form would."""
        if not self.due:
            return
        person = random.choice(self.due)
        path = f"/grading/person/{person}/visit/"
        form = _Form("visited_on").fields(self._page(path, "visit form"))
        if form is None:
            return
        mark = f"{MARK}{uuid.uuid4().hex}"
        form.update(findings=mark, needs="")
        with self.client.post(
            path, data=form, name="visit posted", headers=self._referer(), allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code == 302 and answer.headers.get("Location") == f"/grading/person/{person}/":
                posted.append(mark)
            else:
                answer.failure(f"visit answered {answer.status_code} {answer.headers.get('Location', '')}")

    @locust.task(2)
    def case(self) -> None:
        self.cases = CASE_LINK.findall(self._page("/services/cases/", "cases")) or self.cases
        if self.cases:
            self._page(f"/services/cases/{random.choice(self.cases)}/", "case")


class Worker(Staff):
    role = "social_worker"
    _turn = itertools.count()


class Lead(Staff):
    """A station lead does the same and looks at the dashboard now and then."""

    role = "station_lead"
    _turn = itertools.count()

    @locust.task(2)
    def dashboard(self) -> None:
        self._page("/reports/dashboard/", "dashboard")


def _figures(env: Environment, seconds: float) -> dict[str, Any]:
    def row(entry: Any) -> dict[str, Any]:
        return {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "rps": entry.num_requests / seconds,
            **{f"p{p}": entry.get_response_time_percentile(p / 100) for p in (50, 95, 99)},
        }

    entries = sorted(env.stats.entries.items())
    kinds = {name: row(entry) for (name, _method), entry in entries if entry.num_requests}
    errors = sorted(((e.occurrences, f"{e.name}: {e.error}") for e in env.stats.errors.values()), reverse=True)
    return {"kinds": kinds, "total": row(env.stats.total), "errors": errors[:8]}


def _server_cpu(master: int) -> float:
    """CPU seconds so far of gunicorn's master and its live workers (from /proc)."""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(stat.parent.name) == master or int(fields[1]) == master:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def main() -> None:
    setup_logging("WARNING")
    logging.getLogger("locust").setLevel(logging.ERROR)
    users, seconds, rate = PLAN["users"], PLAN["seconds"], PLAN["spawn_rate"]
    accounts = PLAN["accounts"]
    Worker.weight, Lead.weight = len(accounts["social_worker"]), len(accounts["station_lead"])
    # A user stopped at the end finishes the task it is in, so no post is cut off halfway.
    env = Environment(user_classes=[Worker, Lead], host=PLAN["base"], stop_timeout=60)
    runner = env.create_local_runner()
    started = time.monotonic()
    runner.start(users, spawn_rate=rate)
    while signed_in < users and time.monotonic() - started < 900:
        time.sleep(0.5)
    # Arriving (log-ins, each a deliberately slow password hash) is reported
    # apart; the steady state starts from clean figures with everyone working.
    ramp_seconds, spawned = time.monotonic() - started, runner.user_count
    ramp = _figures(env, ramp_seconds)
    env.stats.reset_all()
    loads = []
    steady_from, cpu_from = time.monotonic(), _server_cpu(PLAN["server_pid"])
    until = steady_from + seconds
    while time.monotonic() < until:
        time.sleep(min(5.0, max(0.0, until - time.monotonic())))
        loads.append(os.getloadavg()[0])
    runner.quit()
    runner.greenlet.join()
    steady_cpu = _server_cpu(PLAN["server_pid"]) - cpu_from
    steady_seconds = time.monotonic() - steady_from
    out = {
        "ramp": {**ramp, "seconds": ramp_seconds},
        "steady": {**_figures(env, steady_seconds), "seconds": steady_seconds, "server_cpu": steady_cpu},
        "users": spawned,
        "exceptions": sum(e["count"] for e in runner.exceptions.values()),
        "posted": posted,
        "cpu_seconds": time.process_time(),
        "load": (sum(loads) / len(loads), max(loads)) if loads else (os.getloadavg()[0],) * 2,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
