"""Translations: every zh_Hans catalogue in the repository is complete, and
the interface is Chinese by default and English one click away."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".venv", "var", "node_modules", ".git"}


def _catalogues() -> list[Path]:
    found = []
    for po in ROOT.rglob("locale/zh_Hans/LC_MESSAGES/django.po"):
        if not SKIP_DIRS.intersection(po.relative_to(ROOT).parts):
            found.append(po)
    return sorted(found)


def _entries(text: str) -> list[dict[str, Any]]:
    """A small .po reader: msgid/msgid_plural/msgstr[n] with their flags."""
    entries: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    key = None
    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        if line.startswith("#~"):
            continue  # obsolete entries are not used
        starts_entry = line == "" or (
            current.get("seen_msgstr") and (line.startswith("#") or line.startswith(("msgid ", "msgctxt ")))
        )
        if starts_entry and "msgid" in current:
            entries.append(current)
            current, key = {}, None
        if line == "":
            continue
        if line.startswith("#,"):
            current.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        else:
            m = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (\".*\")$", line)
            if m:
                key = m.group(1)
                current[key] = ast.literal_eval(m.group(2))
                if key.startswith("msgstr"):
                    current["seen_msgstr"] = True
            elif line.startswith('"') and key:
                current[key] += ast.literal_eval(line)
    return entries


def _problems(po: Path) -> list[str]:
    problems = []
    for entry in _entries(po.read_text(encoding="utf-8")):
        msgid = entry["msgid"]
        if msgid == "":
            continue  # the header
        if "fuzzy" in entry.get("flags", set()):
            problems.append(f"fuzzy: {msgid!r}")
        strings = [v for k, v in entry.items() if k.startswith("msgstr")]
        if not strings or any(s == "" for s in strings):
            problems.append(f"untranslated: {msgid!r}")
    return problems


def test_it_finds_the_catalogues() -> None:
    names = {po.relative_to(ROOT).parts[0] for po in _catalogues()}
    assert {"orgs", "accounts", "audit", "core", "locale"} <= names


@pytest.mark.parametrize("po", _catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_it_has_every_string_translated(po: Path) -> None:
    assert _problems(po) == []


def test_it_reports_empty_and_fuzzy_entries(tmp_path: Path) -> None:
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        'msgid "Done"\nmsgstr "完成"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid "Guess %(n)s"\nmsgstr "猜 %(n)s"\n\n'
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] ""\n\n'
        'msgid ""\n"Long "\n"text"\nmsgstr ""\n"长"\n"文本"\n',
        encoding="utf-8",
    )
    assert _problems(po) == ["untranslated: 'Empty'", "fuzzy: 'Guess %(n)s'", "untranslated: 'one'"]


@pytest.mark.django_db
def test_it_speaks_chinese_by_default_and_english_after_switching(worker: Any, as_user: Any) -> None:
    client = as_user(worker)
    home = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in home
    assert "您所在的位置" in home and "退出登录" in home
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert switched.status_code == 302
    home = client.get("/").content.decode()
    assert '<html lang="en">' in home
    assert "You are at" in home and "Log out" in home
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "您所在的位置" in client.get("/").content.decode()


@pytest.mark.django_db
def test_it_shows_the_login_page_in_chinese_to_a_stranger(client: Any) -> None:
    body = client.get("/account/login/").content.decode()
    assert "登录邻里" in body


def test_it_keeps_the_project_catalogue_in_line_with_the_areas() -> None:
    def translations(po: Path) -> dict[str, str]:
        return {
            e["msgid"]: e["msgstr"]
            for e in _entries(po.read_text(encoding="utf-8"))
            if e["msgid"] and e.get("msgstr") and "fuzzy" not in e.get("flags", set()) and "msgctxt" not in e
        }

    project_po = ROOT / "locale/zh_Hans/LC_MESSAGES/django.po"
    project = translations(project_po)
    in_areas: dict[str, set[str]] = {}
    for po in _catalogues():
        if po != project_po:
            for msgid, text in translations(po).items():
                in_areas.setdefault(msgid, set()).add(text)
    # Where the areas agree on a term, locale/ must use it too.
    clashes = [
        f"{msgid!r}: {project[msgid]!r} in locale/, {texts} in the areas"
        for msgid, texts in in_areas.items()
        if msgid in project and len(texts) == 1 and project[msgid] not in texts
    ]
    assert clashes == []


def _collisions(catalogues: list[Path]) -> dict[str, dict[str, list[str]]]:
    """msgids without a context that two catalogues translate differently.
    Django merges every catalogue into one and the first wins, so such a
    msgid shows one area's term on another area's page."""
    seen: dict[str, dict[str, list[str]]] = {}
    for po in catalogues:
        where = str(po.relative_to(ROOT).parts[0]) if po.is_relative_to(ROOT) else str(po)
        for e in _entries(po.read_text(encoding="utf-8")):
            if not e["msgid"] or "msgctxt" in e or "fuzzy" in e.get("flags", set()):
                continue
            text = e.get("msgstr", e.get("msgstr[0]", ""))
            seen.setdefault(e["msgid"], {}).setdefault(text, []).append(where)
    return {msgid: texts for msgid, texts in seen.items() if len(texts) > 1}


def test_it_translates_each_msgid_one_way_across_the_catalogues() -> None:
    # Where the meanings differ, give the msgid a context (pgettext, or
    # {% translate "x" context "y" %}); where they agree, use the term in docs/glossary.md.
    assert _collisions(_catalogues()) == {}


def test_it_reports_a_msgid_translated_two_ways(tmp_path: Path) -> None:
    a, b = tmp_path / "a.po", tmp_path / "b.po"
    a.write_text('msgid "minutes"\nmsgstr "时长（分钟）"\n\nmsgid "Name"\nmsgstr "名称"\n', encoding="utf-8")
    b.write_text(
        'msgid "minutes"\nmsgstr "会议纪要"\n\nmsgctxt "person"\nmsgid "Name"\nmsgstr "姓名"\n', encoding="utf-8"
    )
    assert list(_collisions([a, b])) == ["minutes"]


# Our catalogues come before Django's, so an entry for one of Django's own
# msgids changes Django's wording everywhere. Deliberate ones:
DJANGO_OVERRIDES = {
    "Enter a number.",  # Django's 输入一个数字。 reads as a fragment
    "Enter a whole number.",
    "English",  # the language switch names each language in itself
    "Mon",
    "Tue",
    "Wed",
    "Thu",
    "Fri",
    "Sat",
    "Sun",  # short weekday names (周一…) for availability
    "active",  # 启用 (in use) for our records; Django's 有效 only labels its user flag
    "Change",  # a card change (变更), not the admin's 修改 button
    "group",
    "groups",  # group work (小组) and tag groups, never auth groups
    "session",  # a group session (节次); sessions themselves are never shown
}


def test_it_keeps_djangos_own_wording_unless_overridden_on_purpose() -> None:
    import gettext

    import django
    from django.apps import apps

    # Django's own catalogue and those of the contrib apps the project installs.
    django_dir = Path(django.__file__).parent
    places = [django_dir / "conf"] + [
        Path(a.path) for a in apps.get_app_configs() if Path(a.path).is_relative_to(django_dir)
    ]
    django_catalogue: dict[str, str] = {}
    for place in places:
        mo = place / "locale/zh_Hans/LC_MESSAGES/django.mo"
        if mo.exists():
            with mo.open("rb") as fh:
                catalogue = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
            django_catalogue.update((k, v) for k, v in catalogue.items() if isinstance(k, str) and k)
    clashes = [
        f"{po.relative_to(ROOT).parts[0]}: {e['msgid']!r} → {e['msgstr']!r}, Django says {django_catalogue[e['msgid']]!r}"
        for po in _catalogues()
        for e in _entries(po.read_text(encoding="utf-8"))
        if e["msgid"] in django_catalogue
        and "msgctxt" not in e
        and e.get("msgstr", django_catalogue[e["msgid"]]) != django_catalogue[e["msgid"]]
        and e["msgid"] not in DJANGO_OVERRIDES
    ]
    assert clashes == []
