"""The tree's own vocabulary: `contains`, `station`, `subtree`."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.roles import Level
from orgs.models import OrgUnit

_LEVELS = (Level.DISTRICT, Level.STATION, Level.COMMUNITY)
_WIDTH: dict[str, int] = {Level.DISTRICT: 6, Level.STATION: 9, Level.COMMUNITY: 12}

# Few distinct digits, so that related units (same district, same station)
# come up often; "01" against "010" tries the prefix trap of a path rule.
_part = st.sampled_from(["001", "010", "100", "011"])
_district = st.sampled_from(["350502", "350503", "350500"])


@st.composite
def _units(draw: Any) -> OrgUnit:
    level = draw(st.sampled_from(_LEVELS))
    code = (draw(_district) + draw(_part) + draw(_part))[: _WIDTH[level]].ljust(12, "0")
    return OrgUnit(level=level, code=code, path=OrgUnit.path_for_code(code, level))


def _code_rule(a: OrgUnit, b: OrgUnit) -> bool:
    """Containment read off the division codes: b is at a's level or below
    and shares a's part of the code."""
    if _LEVELS.index(b.level) < _LEVELS.index(a.level):
        return False
    width = _WIDTH[a.level]
    return b.code[:width] == a.code[:width]


@given(_units(), _units())
def test_it_says_a_unit_contains_another_exactly_when_the_division_codes_say_so(a: OrgUnit, b: OrgUnit) -> None:
    assert a.contains(b) == _code_rule(a, b)


@given(_units())
def test_it_says_every_unit_contains_itself_and_nothing_contains_none(a: OrgUnit) -> None:
    assert a.contains(a)
    assert not a.contains(None)


@pytest.mark.django_db
def test_it_names_the_station_of_a_community_a_station_and_the_district(tree: Any) -> None:
    assert tree.a1.station == tree.station_a
    assert tree.b1.station == tree.station_b
    assert tree.station_a.station == tree.station_a
    assert tree.district.station == tree.district


@pytest.mark.django_db
def test_it_lists_as_subtree_exactly_the_units_it_contains(tree: Any) -> None:
    everything = list(OrgUnit.objects.all())
    for unit in everything:
        assert set(unit.subtree()) == {u for u in everything if unit.contains(u)}
    assert set(tree.station_a.subtree()) == {tree.station_a, tree.a1, tree.a2}
