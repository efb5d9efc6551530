"""Every audit action is a declared constant with words for the log page, and
the page shows what each event stored in those words."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from audit.actions import Action, action_label
from audit.services import audit_record

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "var", "node_modules", ".git", "tests", "migrations", "bench"}


def _audit_calls() -> list[tuple[str, ast.expr]]:
    calls = []
    for path in sorted(ROOT.rglob("*.py")):
        if SKIP.intersection(path.relative_to(ROOT).parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "audit_record"
            ):
                for kw in node.keywords:
                    if kw.arg == "action":
                        calls.append((f"{path.relative_to(ROOT)}:{node.lineno}", kw.value))
    return calls


def _literal_actions(value: ast.expr) -> list[str]:
    """The string literals or f-strings an action argument is built from."""
    return [
        ast.unparse(n)
        for n in ast.walk(value)
        if (isinstance(n, ast.JoinedStr) or (isinstance(n, ast.Constant) and isinstance(n.value, str)))
        and not _inside_action_call(value, n)
    ]


def _inside_action_call(root: ast.expr, target: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Call) and getattr(n.func, "id", "") == "Action" and target in ast.walk(n)
        for n in ast.walk(root)
    )


def test_it_finds_the_audit_writes() -> None:
    assert len(_audit_calls()) > 100


def test_it_writes_declared_actions_only() -> None:
    """A string literal for an action is a typo waiting to happen: use
    audit.actions.Action (Action(f"…") for one built from a declared family)."""
    literals = [f"{where}: {lit}" for where, value in _audit_calls() for lit in _literal_actions(value)]
    assert literals == []
    unknown = [
        f"{where}: {ast.unparse(v)}"
        for where, value in _audit_calls()
        for v in ast.walk(value)
        if isinstance(v, ast.Attribute) and getattr(v.value, "id", "") == "Action" and v.attr not in Action.__members__
    ]
    assert unknown == []


def test_it_declares_the_action_families_built_at_run_time() -> None:
    from casework.workflow import MOVES
    from people.models import RequestKind

    built = [f"case.{move}" for move in MOVES] + [f"person.data_request.{kind}" for kind in RequestKind.values]
    assert [code for code in built if code not in Action.values] == []


@pytest.mark.django_db
def test_it_refuses_an_undeclared_action(admin: Any, tree: Any) -> None:
    with pytest.raises(ValueError, match=r"audit/actions\.py"):
        audit_record(actor=admin, action="orgunit.renamed", target=tree.a1)


def test_it_has_chinese_words_for_every_action() -> None:
    with translation.override("en"):
        english = {a.value: str(a.label) for a in Action}
    with translation.override("zh-hans"):
        untranslated = [a.value for a in Action if str(a.label) == english[a.value]]
    assert untranslated == []
    assert action_label("gone.away") == "gone.away"  # an action no longer declared still shows its code


@pytest.mark.django_db
def test_it_shows_actions_fields_and_values_in_words(admin: Any, tree: Any, as_user: Any) -> None:
    audit_record(actor=admin, action=Action.ORGUNIT_UPDATE, target=tree.a1, changes={"name": ["甲社区", "乙社区"]})
    audit_record(actor=admin, action=Action.PERSON_EXPORT, unit=tree.district, changes={"rows": 164, "unmasked": False})
    audit_record(actor=admin, action=Action.ORGUNIT_CREATE, target=tree.a1, changes={"level": [None, "community"]})
    body = as_user(admin).get(reverse("audit:event_list")).content.decode()
    assert "修改组织单位" in body and "导出服务对象（已脱敏）" in body
    assert ">orgunit.update<" not in body  # the code is only a tooltip and a filter value
    assert "<strong>名称</strong>: 甲社区 → 乙社区" in body
    assert "<strong>行数</strong>: 164" in body and "<strong>未脱敏</strong>: 否" in body
    assert "<strong>层级</strong>: 社区社工室" in body
    assert "∅" not in body


@pytest.mark.django_db
def test_it_filters_by_one_action_or_an_area(admin: Any, tree: Any, as_user: Any) -> None:
    audit_record(actor=admin, action=Action.PERSON_EXPORT, unit=tree.district, changes={"rows": 1})
    audit_record(actor=admin, action=Action.PERSON_EXPORT_UNMASKED, unit=tree.district, changes={"rows": 1})
    client = as_user(admin)
    one = client.get(reverse("audit:event_list") + "?action=person.export").context["lst"].page
    assert [e.action for e in one] == ["person.export"]
    area = client.get(reverse("audit:event_list") + "?action=person.").context["lst"].page
    assert {e.action for e in area} == {"person.export", "person.export_unmasked"}
