"""Scoping is one mechanism in code too: the unit path rule lives in
core/access.py and orgs/ only, and a selector's scoped output is not
scoped a second time."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any, cast

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from core.access import get_in_scope_or_404, is_scoped, scope, under, within
from people.models import Person
from people.selectors import persons_visible
from people.tests.factories import PersonFactory

ROOT = Path(__file__).resolve().parent.parent
_ALLOWED = (ROOT / "core" / "access.py", ROOT / "orgs")
_SKIP_DIRS = {".venv", "migrations", "node_modules", "var", "__pycache__", "test-artifacts"}


def _sources() -> list[Path]:
    out = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if _SKIP_DIRS & set(rel.parts) or path == Path(__file__).resolve():
            continue
        if path == _ALLOWED[0] or _ALLOWED[1] in path.parents:
            continue
        out.append(path)
    return out


def _is_url_check(call: ast.Call) -> bool:
    """`request.path.startswith(…)` or `….path.startswith("/…")` reads a URL
    (a unit path never starts with a slash), not the unit tree."""
    func = call.func
    owner = func.value.value if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute) else None
    first = call.args[0] if call.args else None
    by_request = isinstance(owner, ast.Name) and owner.id == "request"
    by_slash = isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value.startswith("/")
    return by_request or by_slash


def _path_rule_uses(source: str) -> list[int]:
    """Lines that apply the unit path rule: a `…path__startswith` keyword or
    string, or `<something>.path.startswith(…)`."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.keyword) and node.arg and node.arg.endswith("path__startswith"):
            lines.append(node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "path__startswith" in node.value:
            lines.append(node.lineno)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "startswith"
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "path"
            and not _is_url_check(node)
        ):
            lines.append(node.lineno)
    return lines


def test_it_finds_the_path_rule_where_it_is_written_out() -> None:
    caught = _path_rule_uses(
        "qs.filter(unit__path__startswith=u.path)\n"
        "ok = unit.path.startswith(other.path)\n"
        'Q(**{f"{field}__path__startswith": u.path})\n'
        "Q(**{'path__startswith': p})\n"
        "request.path.endswith('/')\n"
        "request.path.startswith(prefix)\n"
        "url.path.startswith('/api/')\n"
    )
    assert sorted(caught) == [1, 2, 3, 4]


def test_it_keeps_the_unit_path_rule_in_core_access_and_orgs() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _sources()
        for line in _path_rule_uses(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "filter through core.access (scope/under) or OrgUnit.contains instead: " + ", ".join(
        offenders
    )


# ------------------------------------------------------- trusted helpers


@pytest.mark.django_db
def test_it_narrows_to_one_or_several_subtrees_with_under(tree: Any) -> None:
    a1, b1 = PersonFactory(unit=tree.a1), PersonFactory(unit=tree.b1)
    assert set(under(Person.objects.all(), tree.station_a)) == {a1}
    assert set(under(Person.objects.all(), [tree.a1, tree.station_b])) == {a1, b1}
    assert set(under(Person.objects.all(), tree.district)) == {a1, b1}
    assert not under(Person.objects.all(), []).exists()
    assert set(tree.district.subtree().filter(within(tree.station_b, field=""))) == {tree.station_b, tree.b1}


# ------------------------------------------------------- scoping once


def _unit_subqueries(sql: str) -> int:
    return sql.count('FROM "orgs_orgunit"')


@pytest.mark.django_db
def test_it_does_not_scope_a_selectors_output_a_second_time(tree: Any, worker: Any) -> None:
    person = cast(Person, PersonFactory(unit=tree.a1))
    visible = persons_visible(worker)
    assert is_scoped(visible, worker)
    with CaptureQueriesContext(connection) as once:
        assert get_in_scope_or_404(visible, worker, pk=person.pk) == person
    with CaptureQueriesContext(connection) as twice:
        assert get_in_scope_or_404(Person.objects.all(), worker, pk=person.pk) == person
    assert _unit_subqueries(once[0]["sql"]) == _unit_subqueries(twice[0]["sql"])


@pytest.mark.django_db
def test_it_still_answers_404_outside_the_scope_for_a_selectors_output(tree: Any, worker: Any) -> None:
    elsewhere = cast(Person, PersonFactory(unit=tree.b1))
    with pytest.raises(Http404):
        get_in_scope_or_404(persons_visible(worker), worker, pk=elsewhere.pk)


@pytest.mark.django_db
def test_it_scopes_again_what_the_mark_no_longer_covers(tree: Any, worker: Any, outsider: Any) -> None:
    elsewhere = cast(Person, PersonFactory(unit=tree.b1))
    widened = scope(Person.objects.all(), worker) | Person.objects.filter(pk=elsewhere.pk)
    assert not is_scoped(widened, worker)
    with pytest.raises(Http404):
        get_in_scope_or_404(widened, worker, pk=elsewhere.pk)
    # scoped for someone else, or by another field: scoped again for this user
    assert not is_scoped(scope(Person.objects.all(), outsider), worker)
    assert not is_scoped(scope(Person.objects.all(), worker), worker, field="household__unit")
    with pytest.raises(Http404):
        get_in_scope_or_404(scope(Person.objects.all(), outsider), worker, pk=elsewhere.pk)
    # narrowing further keeps the mark
    assert is_scoped(scope(Person.objects.all(), worker).filter(is_active=True).order_by("pk"), worker)
