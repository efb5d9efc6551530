"""One form loop and one list toolkit (docs/lists.md, core/forms.py).

Every form page goes through `core.forms.form_page` and every paginated list
through `core.lists`: a view that writes out its own POST loop or its own
Paginator fails here, with where it is."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "migrations", "tests", "bench", "var", "node_modules"}
LOOP_HOME = ROOT / "core" / "forms.py"
PAGINATOR_HOME = ROOT / "core" / "lists.py"
SERVE_HOME = ROOT / "core" / "uploads.py"


def _project_files() -> list[Path]:
    return [p for p in ROOT.rglob("*.py") if not SKIP & set(p.relative_to(ROOT).parts)]


def _is_post_check(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Compare)
        and isinstance(node.left, ast.Attribute)
        and node.left.attr == "method"
        and any(isinstance(c, ast.Constant) and c.value == "POST" for c in node.comparators)
    )


def _calls(node: ast.AST, name: str) -> bool:
    return any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute | ast.Name)
        and getattr(n.func, "attr", getattr(n.func, "id", "")) == name
        for n in ast.walk(node)
    )


def form_loops(source: str) -> list[int]:
    """Lines where a POST check meets `.is_valid()`: in one condition
    (`request.method == "POST" and form.is_valid()`), or a POST branch whose
    body validates a form."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.BoolOp) and any(_is_post_check(n) for n in node.values) and _calls(node, "is_valid"):
            found.append(node.lineno)
        elif (
            isinstance(node, ast.If)
            and _is_post_check(node.test)
            and any(_calls(statement, "is_valid") for statement in node.body)
        ):
            found.append(node.lineno)
    return sorted(set(found))


def paginators(source: str) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Paginator"
    ]


def test_it_finds_the_form_loop_and_a_paginator_where_they_are_written_out() -> None:
    loop = 'def v(request):\n    if request.method == "POST" and form.is_valid():\n        pass\n'
    assert form_loops(loop) == [2]
    nested = 'def v(request):\n    if request.method == "POST":\n        if form.is_valid():\n            pass\n'
    assert form_loops(nested) == [2]
    flag = 'def v(request):\n    valid = request.method == "POST" and form.is_valid()\n'
    assert form_loops(flag) == [2]
    action = 'def v(request):\n    if request.method == "POST":\n        do(request.POST)\n'
    assert form_loops(action) == []  # an action post validates no form
    both = 'def v(r):\n    if r.method == "POST" and f.is_valid() and fs.is_valid():\n        pass\n'
    assert form_loops(both) == [2]
    assert paginators("from django.core.paginator import Paginator\np = Paginator(qs, 20)\n") == [2]


def test_it_writes_the_form_loop_once() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _project_files()
        if path != LOOP_HOME
        for line in form_loops(path.read_text(encoding="utf-8"))
    ]
    assert not found, "form POST loops outside core.forms.form_page: " + ", ".join(found)


def test_it_pages_every_list_through_the_toolkit() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _project_files()
        if path != PAGINATOR_HOME
        for line in paginators(path.read_text(encoding="utf-8"))
    ]
    assert not found, "Paginator outside core.lists (use a ListSpec, docs/lists.md): " + ", ".join(found)


def test_it_sends_every_stored_file_through_one_helper() -> None:
    """A file sent back (a photo, a receipt, a report) goes through
    core.uploads.serve, which never lets it be sniffed or cached by others."""
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path in _project_files()
        if path != SERVE_HOME
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "FileResponse"
    ]
    assert not found, "FileResponse outside core.uploads.serve: " + ", ".join(found)
