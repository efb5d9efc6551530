"""Project-wide fixtures: the cast per scope that every area's tests use.

Tree: district D → station A (communities A1, A2) and station B (community B1).
- `worker`: social worker at station A
- `colleague`: another social worker at station A
- `community_worker`: community worker at A1
- `lead`: station lead of A
- `outsider`: social worker at station B — must see nothing of A
- `admin`: district administrator
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest

os.environ.setdefault("LINLI_ENV", "test")

pytest_plugins = ["tests.browser"]


@dataclass
class Tree:
    district: Any
    station_a: Any
    a1: Any
    a2: Any
    station_b: Any
    b1: Any


@pytest.fixture
def tree(db: Any) -> Tree:
    from tests.factories import build_tree

    return build_tree()


def _staff(tree: Tree, username: str, role: str, unit: Any) -> Any:
    from tests.factories import UserFactory

    return UserFactory(username=username, role=role, unit=unit)


@pytest.fixture
def admin(tree: Tree) -> Any:
    return _staff(tree, "admin_d", "district_admin", tree.district)


@pytest.fixture
def lead(tree: Tree) -> Any:
    return _staff(tree, "lead_a", "station_lead", tree.station_a)


@pytest.fixture
def worker(tree: Tree) -> Any:
    return _staff(tree, "worker_a", "social_worker", tree.station_a)


@pytest.fixture
def colleague(tree: Tree) -> Any:
    return _staff(tree, "colleague_a", "social_worker", tree.station_a)


@pytest.fixture
def community_worker(tree: Tree) -> Any:
    return _staff(tree, "cw_a1", "community_worker", tree.a1)


@pytest.fixture
def outsider(tree: Tree) -> Any:
    return _staff(tree, "outsider_b", "social_worker", tree.station_b)


@pytest.fixture
def supervisor(tree: Tree) -> Any:
    return _staff(tree, "supervisor_d", "supervisor", tree.district)


@pytest.fixture
def viewer(tree: Tree) -> Any:
    return _staff(tree, "viewer_a", "viewer", tree.station_a)


def client_for(user: Any) -> Any:
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def as_user() -> Any:
    """`as_user(user)` → a test Client logged in as that user."""
    return client_for


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Any:
    # Lets the browser `page` fixture know whether the test failed.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def pytest_configure(config: Any) -> None:
    """Compile any translation catalogue whose .po is newer than its .mo (the
    .mo files are not in git, so a pull would otherwise leave tests reading
    stale translations). Runs once, in the xdist controller."""
    if hasattr(config, "workerinput"):
        return
    import shutil
    import subprocess
    from pathlib import Path

    if shutil.which("msgfmt") is None:
        return
    root = Path(__file__).resolve().parent
    catalogues = [*root.glob("locale/*/LC_MESSAGES/django.po"), *root.glob("*/locale/*/LC_MESSAGES/django.po")]
    for po in catalogues:
        if ".venv" in po.parts:
            continue
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=False)


def pytest_collection_modifyitems(items: list[Any]) -> None:
    # A transactional test (the browser journeys) ends with a flush that empties
    # every table, including rows that data migrations load (categories, need
    # types, instruments). Serialized rollback restores them for the next one;
    # it only works when every transactional test uses it, because a plain
    # flush re-creates content types that the restore would then duplicate.
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            item.add_marker(
                pytest.mark.django_db(*marker.args, **{**marker.kwargs, "serialized_rollback": True}), append=False
            )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None) -> None:
    """Make the serialized copy of the migrated database visible to every
    connection object. Django keeps it on the connection that set up the test
    database; once Playwright's event loop runs in the main thread, later
    tests can get a fresh connection object (connections are context-local)
    that lacks it, and serialized rollback then silently restores nothing."""
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            # Django's own attribute (BaseDatabaseCreation sets it); the stubs omit it.
            type(connection)._test_serialized_contents = contents  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _cards_remember_their_categories(request: Any) -> Any:
    """After every database test: each card whose remembered categories hold
    today (grading/category_keys.py) remembers what its resident holds. A
    code path (or a test's own setup) that changes categories without
    re-keying the card fails here, whatever the test was about."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or marker.kwargs.get("transaction"):
        yield
        return
    request.getfixturevalue("db")
    yield
    from django.utils import timezone

    from grading.category_keys import keyed_on, keys_of
    from grading.models import PersonGrade

    today = timezone.localdate()
    stored = {
        pk: (key, until)
        for pk, key, until in PersonGrade.objects.filter(keyed_on(today)).values_list(
            "person_id", "categories_key", "categories_until"
        )
    }
    if not stored:
        return
    live = keys_of(list(stored), today)
    wrong = {pk: (stored[pk], live[pk]) for pk in stored if stored[pk] != live[pk]}
    assert not wrong, f"cards whose remembered categories are not the resident's (stored, now): {wrong}"
