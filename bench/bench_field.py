"""Field app benchmark: the offline-first follow-up list on a phone over a
throttled 3G profile (Chromium's network emulation through the DevTools
protocol), on the demo district served by `runserver --insecure` (static files
as a plain server sends them, no compression) in a scratch data directory.

Figures: bytes of the app shell transferred on the first load and on a later
one (the service worker's cache answering), with the gzip size of the same
responses beside (what a front server with gzip on sends); time until the
follow-up list is usable (its first row drawn) on 3G, the first time, later,
and with no connection; and 50 visits queued offline sent after reconnecting,
counted on the server (each must arrive exactly once).

Goals (issue 13): the list usable in under 3 s on 3G after the first visit,
under 1 s offline; 50 queued visits arrive exactly once. The figures need a
quiet machine: under load they measure the load."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"]
PHONE: Any = {"width": 375, "height": 812}
USER, PASSWORD = "sw01a", "Linli2026demo"
# Chromium DevTools' "Fast 3G" preset (latency and throughput already with its multipliers).
THREE_G = {"offline": False, "latency": 562.5, "downloadThroughput": 180_000, "uploadThroughput": 84_375}
GOAL_LATER_S, GOAL_OFFLINE_S = 3.0, 1.0
QUEUED = int(os.environ.get("LINLI_BENCH_FIELD_QUEUED", "50"))
ROW = "[data-testid^=field-row-]"


def _env(data_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINLI_", "DJANGO_", "PYTEST"))}
    for name in ("DATABASE_URL", "REDIS_URL", "DEBUG"):
        env.pop(name, None)
    env.update(LINLI_ENV="development", LINLI_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="linli.settings")
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5)
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


class Wire:
    """Bytes the page received from the network (not from the service worker
    or the browser's cache), with each response's URL for the gzip figure."""

    def __init__(self, cdp: Any) -> None:
        self.cached: set[str] = set()
        self.urls: dict[str, str] = {}
        self.total = 0
        self.seen: list[str] = []
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)

    def _response(self, event: dict[str, Any]) -> None:
        r = event["response"]
        if r.get("fromServiceWorker") or r.get("fromDiskCache") or r.get("fromPrefetchCache"):
            self.cached.add(event["requestId"])
        self.urls[event["requestId"]] = r["url"]

    def _finished(self, event: dict[str, Any]) -> None:
        rid = event["requestId"]
        if rid not in self.cached and rid in self.urls:
            self.total += int(event.get("encodedDataLength", 0))
            self.seen.append(self.urls[rid])

    def reset(self) -> None:
        self.total, self.seen = 0, []


def _gzip_size(urls: list[str], cookie: str) -> int:
    size = 0
    for url in urls:
        request = urllib.request.Request(url, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=30) as response:
            size += len(gzip.compress(response.read(), compresslevel=6)) + 300  # + headers, roughly
    return size


def _measure(base: str) -> dict[str, Any]:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        context = browser.new_context(viewport=PHONE, base_url=base, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(120_000)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        wire = Wire(cdp)
        page.goto("/account/login/")
        page.fill("input[name=username]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        cookie = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies())
        # a cold first load: no worker yet (the page after login registered it), no cache
        page.goto("/account/")
        page.evaluate(
            """() => navigator.serviceWorker.getRegistrations()
                 .then((rs) => Promise.all(rs.map((r) => r.unregister())))
                 .then(() => caches.keys()).then((ks) => Promise.all(ks.map((k) => caches.delete(k))))"""
        )
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", THREE_G)

        wire.reset()
        start = time.perf_counter()
        page.goto("/field/")
        page.locator(ROW).first.wait_for()
        out["first_s"] = time.perf_counter() - start
        page.wait_for_load_state("networkidle")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        out["first_bytes"] = wire.total
        out["first_gzip"] = _gzip_size(wire.seen, cookie)
        page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        page.wait_for_load_state("networkidle")

        wire.reset()
        start = time.perf_counter()
        page.goto("/field/")
        page.locator(ROW).first.wait_for()
        out["later_s"] = time.perf_counter() - start
        page.wait_for_load_state("networkidle")
        out["later_bytes"] = wire.total
        out["people"] = page.locator(ROW).count()

        context.set_offline(True)
        start = time.perf_counter()
        page.reload()
        page.locator(ROW).first.wait_for()
        out["offline_s"] = time.perf_counter() - start

        # QUEUED visits saved offline (put in the queue as the form does), then the connection returns
        page.evaluate(
            """(n) => window.linliField.all("people").then((people) => Promise.all(
                 Array.from({length: n}, (_x, i) => {
                   const p = people[i % people.length];
                   return window.linliField.put("queue", {
                     id: crypto.randomUUID(), person_id: p.id, person_name: p.name, day: new Date().toISOString().slice(0, 10),
                     entries: [["mode", "phone"], ["visited_on", new Date().toISOString().slice(0, 10)], ["findings", "bench " + i]],
                     known: p.known, created: Date.now() + i, state: "waiting", confirm: true});
                 })))""",
            QUEUED,
        )
        page.reload()
        page.get_by_test_id("queue").wait_for()
        start = time.perf_counter()
        context.set_offline(False)
        cdp.send("Network.emulateNetworkConditions", THREE_G)
        page.get_by_test_id("queue").wait_for(state="hidden", timeout=600_000)
        out["send_s"] = time.perf_counter() - start
        browser.close()
    return out


def run() -> str:
    with tempfile.TemporaryDirectory(prefix="bench-field-") as data_dir:
        env = _env(data_dir)
        _manage(env, "migrate", "--noinput", "-v0")
        _manage(env, "load_demo")
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--insecure", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(f"{base}/healthz/live")
            before = int(_manage(env, "shell", "-c", _COUNT).split()[-1])
            m = _measure(base)
            after = int(_manage(env, "shell", "-c", _COUNT).split()[-1])
        finally:
            server.terminate()
            server.wait(timeout=30)
    arrived = after - before
    rows = [
        (
            "App shell transferred, first load",
            f"{m['first_bytes'] / 1024:.0f} KiB (gzip: {m['first_gzip'] / 1024:.0f} KiB)",
            "—",
        ),
        ("App shell transferred, later load", f"{m['later_bytes'] / 1024:.1f} KiB", "—"),
        ("Follow-up list usable, first visit on 3G", f"{m['first_s']:.2f} s", "—"),
        ("Follow-up list usable, later visit on 3G", f"{m['later_s']:.2f} s", f"< {GOAL_LATER_S:.0f} s"),
        ("Follow-up list usable, offline", f"{m['offline_s']:.2f} s", f"< {GOAL_OFFLINE_S:.0f} s"),
        (
            f"{QUEUED} queued visits sent after reconnecting (3G)",
            f"{m['send_s']:.1f} s; {arrived} arrived",
            f"exactly {QUEUED}",
        ),
    ]
    table = "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    return f"""## Field app (offline follow-ups, 3G)

`bench/bench_field.py`: the demo district's social worker `{USER}` ({m["people"]} people on the list) on a
375 px phone in Chromium, network emulated as DevTools' Fast 3G ({THREE_G["latency"]} ms,
{THREE_G["downloadThroughput"] * 8 / 1e6:.2f} Mbit/s down); `runserver --insecure` serves the static files
uncompressed (the gzip figure is what a front server with gzip on would send). The first load is cold
(no worker, no cache); both loads include the list's data (`/field/data/`, fetched on every online load).

| measure | result | goal |
|---|---|---|
{table}
"""


_COUNT = "from grading.models import Visit; print(Visit.objects.count())"

if __name__ == "__main__":
    print(json.dumps(run()))
