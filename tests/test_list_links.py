"""A list column links its rows through core.lists.pk_link, which reverses the
address once per list, never reverse() per row on the row's own pk."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _per_row_reverses(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.keyword) and node.arg == "link" and isinstance(node.value, ast.Lambda)):
            continue
        params = {a.arg for a in node.value.args.args}
        for call in ast.walk(node.value.body):
            if isinstance(call, ast.Call) and getattr(call.func, "id", getattr(call.func, "attr", "")) == "reverse":
                pks = [
                    n
                    for n in ast.walk(call)
                    if isinstance(n, ast.Attribute)
                    and n.attr == "pk"
                    and isinstance(n.value, ast.Name)
                    and n.value.id in params
                ]
                if pks:
                    lines.append(node.value.lineno)
    return lines


def test_it_finds_a_per_row_reverse() -> None:
    assert _per_row_reverses('Column("a", link=lambda r: reverse("x:y", args=[r.pk]))') == [1]
    assert _per_row_reverses('Column("a", link=pk_link("x:y"))') == []


def test_it_has_no_list_column_reversing_per_row() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in ROOT.glob("*/**/*.py")
        if ".venv" not in path.parts and "tests" not in path.parts
        for line in _per_row_reverses(path.read_text(encoding="utf-8"))
    ]
    assert not found, f"use core.lists.pk_link: {found}"
