"""The layers hold: every project file's imports (module level and inside
functions, read with `ast`), as a graph of files, has

- no circle through files of two different areas,
- nothing in `core/` importing a business area or an area-aware module of
  `linli/` (the kernel is the ground floor; the areas declare what they add
  through core/registry.py and the home app collects it),
- no import of another area's private (`_name`) names.

docs/architecture.md ("Layers") explains the floors."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", "var", "node_modules", ".git", "test-artifacts", "__pycache__"}

# Below the areas: the tree, the staff and the audit trail, which scoping and
# every service stand on (core.access reads orgs.models; core.list_export
# writes audit events).
# messaging and notifications: what the areas call to tell people.
PLATFORM = {"orgs", "accounts", "audit", "messaging", "notifications", "customfields"}
AREAS = {
    "people",
    "volunteers",
    "partners",
    "matching",
    "grading",
    "volunteering",
    "workrecords",
    "contracts",
    "reports",
    "casework",
    "projects",
    "venues",
    "partybuilding",
    "fieldwork",
    "archive",
    "configuration",
    "paperwork",
}
ABOVE = {"home", "api", "linli", "portal", "participation"}  # composed from the areas


def _modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        if SKIP_DIRS.intersection(rel.parts):
            continue
        name = ".".join(rel.with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def import_graph(root: Path = ROOT) -> tuple[dict[str, set[str]], list[tuple[str, str, str]]]:
    """{file module: project modules it imports} and every (importer,
    imported module, name) of an underscore name."""
    modules = _modules(root)
    edges: dict[str, set[str]] = {}
    private: list[tuple[str, str, str]] = []
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        out: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                out.update(t for a in node.names if (t := _resolve(a.name, modules)))
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, *([node.module] if node.module else [])])
                for alias in node.names:
                    target = _resolve(f"{base}.{alias.name}", modules) if f"{base}.{alias.name}" in modules else None
                    target = target or _resolve(base, modules)
                    if not target:
                        continue
                    out.add(target)
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        private.append((name, target, alias.name))
        out.discard(name)
        edges[name] = out
    return edges, private


def area_of(module: str) -> str:
    top = module.split(".")[0]
    return "tests" if top == "conftest" else top


def cycles_between_areas(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of files (Tarjan, iterative) that span two
    areas, each reported as one circle through them."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len({area_of(m) for m in group}) > 1:
                    groups.append(_circle(sorted(group), edges))
    return groups


def _circle(group: list[str], edges: dict[str, set[str]]) -> list[str]:
    """One import path from the group's first file back to itself."""
    members = set(group)
    start = group[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(edges[node] & members):
            if child == start:
                return [*paths[node], start]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    return group


def kernel_violations(edges: dict[str, set[str]]) -> list[str]:
    area_aware = {m for m, out in edges.items() if area_of(m) == "linli" and any(area_of(t) in AREAS for t in out)}
    return sorted(
        f"{m} imports {t}"
        for m, out in edges.items()
        if area_of(m) == "core"
        for t in out
        if area_of(t) in AREAS | {"home", "api", "tests"} or t in area_aware
    )


def private_crossings(private: list[tuple[str, str, str]]) -> list[str]:
    return sorted(f"{m} imports {t}.{n}" for m, t, n in private if area_of(m) != area_of(t))


def test_it_finds_no_import_circle_between_areas() -> None:
    edges, _private = import_graph()
    assert [" → ".join(c) for c in cycles_between_areas(edges)] == []


def test_it_keeps_the_kernel_free_of_the_areas() -> None:
    edges, _private = import_graph()
    assert kernel_violations(edges) == []


def test_it_finds_no_import_of_another_areas_private_names() -> None:
    _edges, private = import_graph()
    assert private_crossings(private) == []


def test_it_knows_every_app() -> None:
    # A new app must take a floor here, or the checks above would not see it.
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")} | {p.parent.name for p in ROOT.glob("*/models.py")}
    assert apps <= {"core"} | PLATFORM | AREAS | ABOVE


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_it_reports_a_circle_through_two_areas_even_inside_a_function(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "people/__init__.py": "",
            "people/a.py": "def f():\n    from grading import b\n",
            "grading/__init__.py": "",
            "grading/b.py": "from people.a import f\n",
            "grading/c.py": "from . import d\n",
            "grading/d.py": "from .c import x\n",  # a circle inside one area is not reported
        },
    )
    edges, _private = import_graph(root)
    assert cycles_between_areas(edges) == [["grading.b", "people.a", "grading.b"]]


def test_it_reports_the_kernel_importing_an_area_and_a_private_name(tmp_path: Path) -> None:
    root = _tree(
        tmp_path,
        {
            "core/__init__.py": "",
            "core/x.py": "def f():\n    import people.selectors\n",
            "core/y.py": "from orgs.models import OrgUnit\nfrom linli import env\n",
            "linli/__init__.py": "",
            "linli/env.py": "",
            "orgs/__init__.py": "",
            "orgs/models.py": "",
            "people/__init__.py": "",
            "people/selectors.py": "_SECRET = 1\n",
            "volunteers/__init__.py": "",
            "volunteers/a.py": "from people.selectors import _SECRET\nfrom .b import _mine\n",
            "volunteers/b.py": "_mine = 1\n",
        },
    )
    edges, private = import_graph(root)
    assert kernel_violations(edges) == ["core.x imports people.selectors"]
    assert private_crossings(private) == ["volunteers.a imports people.selectors._SECRET"]
