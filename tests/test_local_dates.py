"""Project code reads today's date and the time through django.utils.timezone.

`date.today()` and `datetime.now()` use the server's clock zone, which is UTC
in production containers, while the district lives in Asia/Shanghai: between
midnight and 08:00 they name yesterday. Tests and benchmarks may pin dates as
they like.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAIVE = re.compile(r"\b(?:date\.today|datetime\.now|datetime\.utcnow)\(")
SKIP_DIRS = {".venv", "var", "node_modules", ".git", "bench", "tests", "migrations", "test-artifacts", ".hypothesis"}


def _project_files() -> list[Path]:
    return [
        p
        for p in ROOT.rglob("*.py")
        if not SKIP_DIRS.intersection(p.relative_to(ROOT).parts) and not p.name.startswith("test_")
    ]


def test_it_finds_no_naive_today_or_now_in_project_code() -> None:
    offenders = [
        f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
        for p in _project_files()
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if NAIVE.search(line)
    ]
    assert not offenders, "use timezone.localdate() / timezone.now():\n" + "\n".join(offenders)


def test_it_would_catch_each_naive_call() -> None:
    for call in ("date.today()", "dt.date.today()", "datetime.now()", "dt.datetime.utcnow()"):
        assert NAIVE.search(f"x = {call}"), call
    assert not NAIVE.search("x = timezone.localdate()")
    assert len(_project_files()) > 50  # the walk reaches the project's modules


# A page's script writes a moment the way the server writes it (YYYY-MM-DD
# HH:MM, core/lists.py): the browser's own locale form (2026/12/1 20:54:25)
# would be a fourth date format.
LOCALE_FORM = re.compile(r"\.toLocale(?:Date|Time)?String\(")


def _project_scripts() -> list[Path]:
    return [
        p
        for p in ROOT.rglob("*.js")
        if not SKIP_DIRS.intersection(p.relative_to(ROOT).parts) and "vendor" not in p.relative_to(ROOT).parts
    ]


def test_it_finds_no_browser_locale_dates_in_project_scripts() -> None:
    scripts = _project_scripts()
    assert any(p.name == "field.js" for p in scripts)
    offenders = [
        f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
        for p in scripts
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if LOCALE_FORM.search(line)
    ]
    assert not offenders, "write moments as YYYY-MM-DD HH:MM (linliField.when):\n" + "\n".join(offenders)


def test_it_would_catch_a_locale_date() -> None:
    assert LOCALE_FORM.search("new Date(x).toLocaleString()")
    assert LOCALE_FORM.search("d.toLocaleDateString('zh-CN')")
    assert not LOCALE_FORM.search("linliField.when(x)")
