"""Pages speak to users in their words: no Django "---------" in a select, no
setting or environment-variable names, no spec file names, no field codes.

The page walk reuses tests/test_scoping_walk.py: every URL pattern of the
project loaded by the first insider who may see it (as test_page_structure)."""

from __future__ import annotations

import re
from typing import Any, cast

import pytest
from django import forms
from django.urls import get_resolver, reverse

from people.models import Person
from tests.leakwalk import Walk
from tests.test_scoping_walk import _client, _kwargs_for, _patterns, walk  # noqa: F401 (walk: the fixture)

DEVELOPER_WORDS = [
    ("a blank select option", re.compile(r">-{5,}<")),
    ("an environment variable", re.compile(r"\bLINLI_[A-Z_]+\b|\b(?:DATABASE_URL|REDIS_URL|SECRET_KEY)\b")),
    ("a spec file name", re.compile(r"\bdomain\.md\b")),
]


def _developer_words(html: str) -> list[str]:
    return [what for what, pattern in DEVELOPER_WORDS if pattern.search(html)]


def test_it_finds_developer_words() -> None:
    assert _developer_words('<option value="">---------</option>') == ["a blank select option"]
    assert _developer_words("<p>Set LINLI_MAP_TILE_URL</p>") == ["an environment variable"]
    assert _developer_words("<td>默认规则(domain.md)</td>") == ["a spec file name"]
    assert _developer_words("<p>请选择</p>") == []


def test_it_walks_every_page_for_developer_words(walk: Walk) -> None:
    found, checked = {}, 0
    for name, pattern in _patterns(get_resolver()):
        url = reverse(name, kwargs=_kwargs_for(name, pattern, walk))
        for user in walk.insiders:
            response = _client(user).get(url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                words = _developer_words(response.content.decode())
                if words:
                    found[f"{url} ({name})"] = words
                checked += 1
                break
    assert checked >= 50, f"only {checked} pages were checked"
    assert not found, "pages with developer words:\n" + "\n".join(f"{url}: {w}" for url, w in found.items())


class _Sample(forms.Form):
    pick = forms.ChoiceField(choices=[("", "---------"), ("a", "A")])
    maybe = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)


@pytest.mark.parametrize("language, required, optional", [("zh-hans", "请选择", "（无）"), ("en", "Choose…", "(none)")])
def test_it_words_the_blank_choice_in_one_place(language: str, required: str, optional: str) -> None:
    from django.utils import translation

    with translation.override(language):
        html = str(_Sample())
    assert "---------" not in html
    assert f'<option value="" selected>{required}</option>' in html
    assert f'<option value="" selected>{optional}</option>' in html


def test_it_names_every_kind_of_record_a_contract_figure_adds_up() -> None:
    """The KPI page shows a summed figure's parts by these labels, not by key."""
    import inspect

    from contracts import actuals
    from contracts.views import BREAKDOWN_LABELS

    source = inspect.getsource(actuals)
    kinds = set(re.findall(r'"(\w+)": \{\}', source)) | set(re.findall(r'parts=\{"(\w+)"', source))
    assert {"visits", "cases", "party_members"} <= kinds
    assert kinds - set(BREAKDOWN_LABELS) == set()


@pytest.mark.django_db
def test_it_names_assessment_dimensions_and_the_default_rule_set(tree: Any, worker: Any, as_user: Any) -> None:
    from django.utils import timezone

    from grading import services
    from grading.models import GradingRuleSet
    from grading.tests.factories import full_answers, version
    from people.tests.factories import PersonFactory

    v = version("elderly_ability")
    person = cast(Person, PersonFactory(unit=tree.a1))
    services.assessment_record(
        actor=worker, person=person, version=v, answers=full_answers(v, 0), assessed_on=timezone.localdate()
    )
    body = as_user(worker).get(reverse("grading:person", args=[person.pk])).content.decode()
    assert "自理能力" in body and "self_care" not in body
    assert GradingRuleSet.objects.filter(number=1).values_list("name", flat=True)[0] == "一分三卡默认规则"


def test_it_titles_work_records_in_the_users_language() -> None:
    import datetime as dt

    from django.utils import translation

    from workrecords.models import TeamMeeting

    meeting = TeamMeeting(date=dt.date(2026, 11, 30))
    with translation.override("zh-hans"):
        assert str(meeting) == "2026-11-30 周例会"
    with translation.override("en"):
        assert str(meeting) == "2026-11-30 weekly meeting"
