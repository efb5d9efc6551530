"""Deployment settings, the Content-Security-Policy and no inline code."""

from __future__ import annotations

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, cast

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent


def test_it_passes_check_deploy_in_production_without_a_warning(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("LINLI_", "DJANGO_", "DATABASE_URL", "DEBUG"))},
        "LINLI_ENV": "production",
        "SECRET_KEY": "k7#Qz!v2" + "x9Lm$Rp4wT8bN1cF6hJ3" * 3,
        "LINLI_FIELD_KEYS": Fernet.generate_key().decode(),
        "LINLI_HASH_KEY": "f3a9c2e71b8d4f6a0e5c9b2d7a1f4e8c",
        "ALLOWED_HOSTS": "linli.example.cn",
        "LINLI_DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output and "?:" not in output, output
    assert "no issues" in output


@pytest.mark.parametrize(
    ("name", "value"),
    [("SECRET_KEY", "short"), ("LINLI_FIELD_KEYS", ""), ("DEBUG", "1")],
)
def test_it_refuses_to_start_production_with_dev_secrets(tmp_path: Path, name: str, value: str) -> None:
    env = {
        "PATH": os.environ["PATH"],
        "LINLI_ENV": "production",
        "SECRET_KEY": "k7#Qz!v2" + "x9Lm$Rp4wT8bN1cF6hJ3" * 3,
        "LINLI_FIELD_KEYS": Fernet.generate_key().decode(),
        "LINLI_HASH_KEY": "f3a9c2e71b8d4f6a0e5c9b2d7a1f4e8c",
        "ALLOWED_HOSTS": "linli.example.cn",
        "LINLI_DATA_DIR": str(tmp_path),
        name: value,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


@pytest.mark.django_db
def test_it_sends_a_strict_content_security_policy(client: Any, worker: Any, as_user: Any) -> None:
    for response in (client.get(reverse("accounts:login")), as_user(worker).get("/")):
        csp = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"


class InlineFinder(HTMLParser):
    """Collects inline scripts, style attributes, <style> blocks and on*= handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") != "application/json":
            self.problems.append(f"inline <script {attrs}>")
        if tag == "style":
            self.problems.append("<style> block")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}>")


def _pages(tree: Any, admin: Any) -> list[str]:
    from accounts.models import User
    from tests.factories import UserFactory

    staff = cast(User, UserFactory(username="page_walk", role="social_worker", unit=tree.a1))
    names = [
        "core:home",
        "orgs:unit_list",
        "orgs:agency_list",
        "orgs:agency_create",
        "accounts:staff_list",
        "accounts:staff_create",
        "accounts:security",
        "accounts:password_change",
        "accounts:totp_setup",
        "audit:event_list",
    ]
    urls = [reverse(n) for n in names]
    urls += [
        reverse("orgs:unit_detail", args=[tree.station_a.pk]),
        reverse("orgs:unit_edit", args=[tree.station_a.pk]),
        reverse("orgs:unit_create", args=[tree.station_a.pk]),
        reverse("accounts:staff_edit", args=[staff.pk]),
    ]
    return urls


@pytest.mark.django_db
def test_it_renders_the_main_pages_without_inline_code(tree: Any, admin: Any, as_user: Any, client: Any) -> None:
    pages = [(client, reverse("accounts:login"))] + [(as_user(admin), url) for url in _pages(tree, admin)]
    pages.append((client, "/api/docs"))
    for c, url in pages:
        response = c.get(url)
        assert response.status_code == 200, url
        finder = InlineFinder()
        finder.feed(response.content.decode())
        assert finder.problems == [], f"{url}: {finder.problems}"


def test_it_finds_inline_code_when_there_is_some() -> None:
    finder = InlineFinder()
    finder.feed('<script>x()</script><p style="c">a</p><a onclick="y()" href="javascript:z()">b</a>')
    assert len(finder.problems) == 4


@pytest.mark.django_db
def test_it_serves_the_api_docs_from_local_static_files(client: Any) -> None:
    body = client.get("/api/docs").content.decode()
    assert "cdn" not in body.lower() and "https://" not in body
    assert "/static/ninja/swagger-ui-bundle.js" in body
    assert client.get("/api/openapi.json").status_code == 200


@pytest.mark.django_db
def test_it_finds_no_inline_code_on_any_page_without_ids(tree: Any, admin: Any, as_user: Any) -> None:
    """Every id-less page of every area, as the district administrator."""
    from django.urls import get_resolver

    from tests.test_scoping_walk import _kwarg_names, _patterns

    client = as_user(admin)
    checked, problems = 0, {}
    for name, pattern in _patterns(get_resolver()):
        if _kwarg_names(pattern) or name in {"set_language", "accounts:logout", "healthz"}:
            continue
        response = client.get(reverse(name))
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        finder = InlineFinder()
        finder.feed(response.content.decode())
        if finder.problems:
            problems[reverse(name)] = finder.problems
        checked += 1
    assert checked >= 10
    assert problems == {}
