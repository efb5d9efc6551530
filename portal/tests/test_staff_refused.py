"""A portal session reaches no staff page and no staff API: every URL
pattern of the project outside the portal's and the public prefixes, with
the walk's station-B ids, answers the staff login page (or 403/404/405),
and every API path answers 401."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.main import api
from portal.models import PortalAccount
from portal.tests.conftest import sign_in
from tests.leakwalk import CANARY, KWARGS, Walk
from tests.test_scoping_walk import walk  # noqa: F401 (the fixture)

OPEN = (
    "/portal/",
    "/public/",
    "/static/",
    "/i18n/",
    "/healthz",
    "/account/login/",
    "/account/session/",
    "/field/sw.js",
    "/field/manifest.webmanifest",
)


def patterns(resolver: URLResolver, ns: str = "") -> list[tuple[str, URLPattern]]:
    """Every named URL pattern with its namespaced name (the API is walked through its schema)."""
    found = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "api":
                continue
            found += patterns(p, f"{ns}{p.namespace}:" if p.namespace else ns)
        elif p.name:
            found.append((f"{ns}{p.name}", p))
    return found


def url_of(name: str, pattern: URLPattern, w: Walk) -> str:
    keys = list(getattr(pattern.pattern, "converters", {}).keys())
    return reverse(name, kwargs={key: KWARGS[key](w) for key in keys})


@pytest.fixture
def portal_session(walk: Walk) -> Client:
    from django.utils import timezone

    PortalAccount.objects.create(
        phone="13800138000",
        name="门户用户",
        community=walk.tree.a1,
        station=walk.tree.station_a,
        privacy_accepted_at=timezone.now(),
    )
    client = Client()
    sign_in(client)
    assert "portal_account" in client.session
    return client


def _refused(response: Any) -> bool:
    if response.status_code in (401, 403, 404, 405):
        return True
    return response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_it_refuses_every_staff_page_to_a_portal_session(walk: Walk, portal_session: Client) -> None:
    served, checked = [], 0
    for name, pattern in patterns(get_resolver()):
        url = url_of(name, pattern, walk)
        if url.startswith(OPEN):
            continue
        for method in ("get", "post"):
            response = getattr(portal_session, method)(url)
            body = response.content.decode(errors="replace") if response.status_code == 200 else ""
            if not _refused(response) or CANARY in body:
                served.append(f"{method.upper()} {url} ({name}): {response.status_code}")
        checked += 1
    assert checked > 100
    assert not served, "a portal session reached staff pages:\n" + "\n".join(served)


def test_it_refuses_the_staff_api_to_a_portal_session(walk: Walk, portal_session: Client) -> None:
    schema = api.get_openapi_schema()
    for path, method in [(path, method) for path, methods in schema["paths"].items() for method in methods]:
        params = re.findall(r"{(\w+)}", path)
        url = path.format(**{p: KWARGS[p](walk) for p in params})
        response = getattr(portal_session, method)(url, data={}, content_type="application/json")
        if path.endswith(("/openapi.json", "/docs")):
            continue
        assert response.status_code in (401, 403, 405), f"{method.upper()} {url}: {response.status_code}"
