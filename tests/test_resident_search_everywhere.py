"""Every list of records about residents finds them as the residents list
does (people.selectors.search_by_resident): by name anywhere, pinyin,
initials, phone tail or ID tail. A list added later whose rows belong to a
resident and whose search looks at raw names only fails here."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from django.db import models

from core.lists import ListSpec
from people.models import Person

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
# Lists whose rows belong to a resident but are not searched by them, and why.
NOT_BY_RESIDENT: dict[str, str] = {}


def _specs() -> list[tuple[str, ListSpec]]:
    specs = []
    for path in sorted([*ROOT.glob("*/lists.py"), *ROOT.glob("*/*_lists.py")]):
        module = importlib.import_module(f"{path.parent.name}.{path.stem}")
        specs += [(f"{module.__name__}.{name}", v) for name, v in vars(module).items() if isinstance(v, ListSpec)]
    return specs


def _resident_path(model: type[models.Model]) -> str:
    """The lookup from a row to its resident, through at most one other record."""
    if model is Person:
        return "pk"
    links = [f for f in model._meta.get_fields() if isinstance(f, models.ForeignKey)]
    for f in links:
        if f.related_model is Person:
            return f.name
    for f in links:
        for g in f.related_model._meta.get_fields():  # type: ignore[union-attr]
            if isinstance(g, models.ForeignKey) and g.related_model is Person and f.related_model is not Person:
                return f"{f.name}__{g.name}"
    return ""


def test_it_searches_residents_the_same_way_on_every_list_of_theirs(tree: Any, worker: Any) -> None:
    walked, wrong = [], []
    for name, spec in _specs():
        model = spec.queryset(worker).model
        if not _resident_path(model) or name in NOT_BY_RESIDENT:
            continue
        walked.append(name)
        if spec.search is None:
            wrong.append(f"{name}: its rows belong to residents, and it has no search")
        elif "name_initials" not in str(spec.search(model._default_manager.all(), "zs").query):
            wrong.append(f"{name}: 'zs' is not looked up as a resident's initials")
    assert wrong == [], "\n".join(wrong)
    assert len(walked) >= 8, walked


@pytest.mark.parametrize("q", ["zsf", "zhangsan", "三丰", "4321"])
def test_it_finds_a_resident_on_each_of_their_lists_by_any_key(tree: Any, worker: Any, outsider: Any, q: str) -> None:
    from django.urls import reverse

    from casework.tests.factories import open_case
    from conftest import client_for
    from grading.tests.factories import graded
    from matching.tests.factories import need_for
    from people.services import household_create

    zhang = graded(tree.a1, name="张三丰", phone="13800004321", responsible=worker)
    other = graded(tree.a1, name="李四", phone="13900001111", responsible=worker)
    home = household_create(actor=worker, unit=tree.a1, address="东街1号")
    type(home).objects.filter(pk=home.pk).update(head=zhang)
    type(zhang).objects.filter(pk=zhang.pk).update(household=home)
    for person in (zhang, other):
        open_case(worker, person=person)
        need_for(tree.a1, person=person, description="陪同就医")
    pages = ["grading:followups", "casework:case_list", "people:household_list", "matching:need_list"]
    for url in pages:
        mine = client_for(worker).get(reverse(url), {"q": q}).content.decode()
        assert "张三丰" in mine and "李四" not in mine, (url, q)
        assert "张三丰" not in client_for(outsider).get(reverse(url), {"q": q}).content.decode(), (url, q)
