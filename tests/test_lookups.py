"""core.lookups.AnyOf and core.inserts.insert_rows_keyed, on either database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F

from core import inserts
from core.lookups import AnyOf
from people.models import Person


def _people(tree: Any, names: list[str]) -> list[int]:
    rows = [(tree.a1.pk, name, dt.date(1950, 1, 1), f"hash-{name}") for name in names]
    return inserts.insert_rows_keyed(Person, ("unit_id", "name", "birth_date", "id_hash"), rows, key="id_hash")


def test_insert_rows_keyed_returns_each_rows_key_in_order(tree: Any) -> None:
    pks = _people(tree, ["甲", "乙", "丙"])
    assert [Person.objects.get(pk=pk).name for pk in pks] == ["甲", "乙", "丙"]
    assert _people(tree, ["丁"])[0] > max(pks)


def test_any_of_matches_ints_and_strings_like_in(tree: Any) -> None:
    pks = _people(tree, ["甲", "乙", "丙"])
    assert set(Person.objects.filter(AnyOf(F("pk"), [pks[0], pks[2], -1])).values_list("name", flat=True)) == {
        "甲",
        "丙",
    }
    assert list(Person.objects.filter(AnyOf(F("id_hash"), ["hash-乙", "nobody"])).values_list("pk", flat=True)) == [
        pks[1]
    ]
    assert not Person.objects.filter(AnyOf(F("pk"), [])).exists()
