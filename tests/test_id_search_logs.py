"""A whole ID number typed into a list's search box never reaches a log: not
the server's access or error log, not the application's output, not the audit
log, not the session. Through a real server, as the browser sends it with
JavaScript (htmx), without it, and as an export of the search."""

from __future__ import annotations

import re
from pathlib import Path

import requests

from tests import liveserver

USERNAME, PASSWORD = "sw01a", "Linli2026demo"

FIRST_VISIBLE_ID = (
    "from accounts.models import User; from core import identity; from people.selectors import persons_visible; "
    f"p = persons_visible(User.objects.get(username={USERNAME!r})).exclude(id_cipher='').order_by('pk')[0]; "
    "print(identity.decrypt(p.id_cipher), p.name)"
)

# Everything the application keeps about requests and users, as text.
STORED = (
    "from audit.models import AuditEvent; from django.contrib.sessions.models import Session; "
    "[print(e) for e in AuditEvent.objects.values()]; "
    "[print(s.get_decoded()) for s in Session.objects.all()]"
)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def _log_in(session: requests.Session, base: str) -> None:
    page = session.get(f"{base}/account/login/", timeout=30)
    form = {"csrfmiddlewaretoken": _csrf(page.text), "username": USERNAME, "password": PASSWORD}
    answer = session.post(f"{base}/account/login/", data=form, headers={"Referer": base}, timeout=60)
    assert answer.status_code == 200 and "/account/login/" not in answer.url, answer.text[:500]


@liveserver.once_per_run
def test_it_keeps_a_searched_id_number_out_of_every_log(tmp_path: Path) -> None:
    data_dir = tmp_path
    env = liveserver.environment(data_dir, LINLI_ENV="test", LOG_LEVEL="INFO")
    liveserver.demo_district(env)
    number, name = liveserver.manage(env, "shell", "-c", FIRST_VISIBLE_ID).split()[-2:]
    with liveserver.running(env, workers=2) as server:
        session = requests.Session()
        _log_in(session, server.url)
        url = f"{server.url}/people/"
        page = session.get(url, timeout=30)
        results = re.search(r'id="([\w-]+)-results"', page.text)
        assert results and 'method="post"' in page.text
        form = {"csrfmiddlewaretoken": _csrf(page.text), "search": "1", "q": number}
        headers = {"Referer": url}

        htmx = session.post(
            url, data=form, timeout=60, headers={**headers, "HX-Request": "true", "HX-Target": results.group(0)[4:-1]}
        )
        assert htmx.status_code == 200 and name in htmx.text
        assert htmx.headers["HX-Push-Url"] == "/people/"
        plain = session.post(url, data=form, headers=headers, timeout=60)
        assert plain.status_code == 200 and plain.url == url and name in plain.text
        export = session.post(url, data={**form, "export": "masked"}, headers=headers, timeout=60)
        assert export.status_code == 200 and export.headers["Content-Type"].startswith("application/vnd.openxml")
        # Any other term is an address to keep, as before.
        by_name = session.post(url, data={**form, "q": name}, headers=headers, timeout=60)
        assert by_name.status_code == 200 and "q=" in by_name.url and name in by_name.text

    logs = {path.name: path.read_text() for path in server.logs}
    assert "POST /people/" in logs["access.log"] and "GET /people/?q=" in logs["access.log"]
    stored = liveserver.manage(env, "shell", "-c", STORED)
    assert "people.export" in stored or "export" in stored, stored[-2000:]
    assert "_auth_user_id" in stored
    for where, text in {**logs, "audit log and sessions": stored}.items():
        assert number not in text, where
        assert number[:17] not in text, where
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert number.encode() not in path.read_bytes(), path
