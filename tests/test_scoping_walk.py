"""Walk every URL and API path as an outsider; see tests/leakwalk.py."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.main import api
from tests.factories import UserFactory
from tests.leakwalk import CANARY, KWARGS, POPULATORS, PUBLIC_OR_SELF, SELF_ONLY, Walk


def _patterns(resolver: URLResolver, ns: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if "api" in str(p.pattern) and p.namespace == "api":
                continue  # the API is walked through its OpenAPI schema
            sub = f"{ns}{p.namespace}:" if p.namespace else ns
            found += _patterns(p, sub)
        elif p.name:
            found.append((f"{ns}{p.name}", p))
    return found


def _kwarg_names(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.converters.keys()) if hasattr(pattern.pattern, "converters") else []


@pytest.fixture
def walk(tree: Any) -> Walk:
    insider = UserFactory(username="admin_walk", role="district_admin", unit=tree.district)
    outsider = UserFactory(username="lead_a", role="station_lead", unit=tree.station_a)
    lead_b = UserFactory(username="lead_walk_b", role="station_lead", unit=tree.station_b)
    w = Walk(tree=tree, insider=insider, outsider=outsider, insiders=(insider, lead_b))
    for populate in POPULATORS:
        populate(w)
    return w


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _kwargs_for(name: str, pattern: URLPattern, w: Walk) -> dict[str, Any]:
    kwargs = {}
    for key in _kwarg_names(pattern):
        assert key in KWARGS, f"URL {name} takes <{key}>: add it to KWARGS in tests/leakwalk.py"
        kwargs[key] = KWARGS[key](w)
    return kwargs


def _insider_status(walk: Walk, url: str) -> int:
    """The best answer any insider gets: the district admin reaches most
    records, but confidential case notes only B's station lead."""
    statuses = []
    for user in walk.insiders:
        client = _client(user)
        status = client.get(url).status_code
        if status == 405:
            status = client.post(url).status_code
        if status in (200, 302):
            return status
        statuses.append(status)
    return statuses[0]


def test_it_walks_every_url_without_leaking(walk: Walk) -> None:
    outsider = _client(walk.outsider)
    checked = 0
    for name, pattern in _patterns(get_resolver()):
        kwargs = _kwargs_for(name, pattern, walk)
        if not kwargs:
            continue
        url = reverse(name, kwargs=kwargs)
        for method in ("get", "post"):
            response = getattr(outsider, method)(url)
            assert response.status_code in (403, 404, 405), (
                f"{method.upper()} {url} ({name}) leaked: {response.status_code}"
            )
        if name not in SELF_ONLY:
            status = _insider_status(walk, url)
            assert status in (200, 302), f"{url} ({name}) should work for the insider, got {status}: fix KWARGS"
        checked += 1
    assert checked >= 5


def test_it_shows_no_canary_on_any_page(walk: Walk) -> None:
    outsider = _client(walk.outsider)
    for name, pattern in _patterns(get_resolver()):
        if _kwarg_names(pattern) or name in PUBLIC_OR_SELF:
            continue
        url = reverse(name)
        for query in ("", f"?q={CANARY}", "?q=LEAK"):
            response = outsider.get(url + query)
            assert response.status_code in (200, 302, 403, 405), f"GET {url}{query} ({name}): {response.status_code}"
            body = response.content.decode(errors="replace")
            assert CANARY not in body, f"{url}{query} ({name}) shows station B's records"


def _api_paths() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [(path, method) for path, methods in schema["paths"].items() for method in methods]


def test_it_walks_every_api_path_without_leaking(walk: Walk) -> None:
    outsider = _client(walk.outsider)
    for path, method in _api_paths():
        params = re.findall(r"{(\w+)}", path)
        if method != "get":
            if params:
                url = path.format(**{p: KWARGS[p](walk) for p in params})
                response = getattr(outsider, method)(url, data={}, content_type="application/json")
                assert response.status_code in (403, 404, 405, 422), f"{method} {url} leaked: {response.status_code}"
            continue
        for p in params:
            assert p in KWARGS, f"API path {path} takes {{{p}}}: add it to KWARGS in tests/leakwalk.py"
        url = path.format(**{p: KWARGS[p](walk) for p in params})
        response = outsider.get(url)
        if params:
            assert response.status_code in (403, 404), f"GET {url} leaked: {response.status_code}"
            assert _insider_status(walk, url) == 200, f"GET {url} should work for an insider: fix KWARGS"
        else:
            assert response.status_code in (200, 403), f"GET {url}: {response.status_code}"
            assert CANARY not in response.content.decode(), f"GET {url} shows station B's records"
