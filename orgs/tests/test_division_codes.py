"""The 12-digit statistical division code (统计用区划代码), checked per level,
including property tests against an independent statement of the rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from core.roles import Level
from orgs.validators import validate_division_code

DISTRICT = "350502000000"
STATION = "350502001000"

digits12 = st.text(alphabet="0123456789", min_size=12, max_size=12)


def _accepted(code: str, level: str, parent: str | None) -> bool:
    try:
        validate_division_code(code, level, parent)
    except ValidationError as exc:
        assert "code" in exc.message_dict  # every refusal names the field
        return False
    return True


def _oracle(code: str, level: str, parent: str | None) -> bool:
    """The rule written out again, independently of the implementation."""
    if len(code) != 12 or any(c not in "0123456789" for c in code):
        return False
    county, township, village = code[:6], int(code[6:9]), int(code[9:])
    if level == Level.DISTRICT:
        return township == 0 and village == 0
    if level == Level.STATION:
        return 1 <= township <= 399 and village == 0 and (parent is None or county == parent[:6])
    return 1 <= village <= 399 and (parent is None or code[:9] == parent[:9])


@given(code=digits12, level=st.sampled_from(list(Level)))
@example(code="350502000000", level=Level.DISTRICT)
@example(code="350502399000", level=Level.STATION)
@example(code="350502400000", level=Level.STATION)
@example(code="350502001399", level=Level.COMMUNITY)
@example(code="350502001400", level=Level.COMMUNITY)
def test_it_agrees_with_the_rule_for_any_twelve_digits(code: str, level: Level) -> None:
    parent = {Level.DISTRICT: None, Level.STATION: DISTRICT, Level.COMMUNITY: STATION}[level]
    assert _accepted(code, level, parent) == _oracle(code, level, parent)


@given(code=st.text(max_size=20), level=st.sampled_from(list(Level)))
@example(code="３５０５０２００１００１", level=Level.COMMUNITY)  # full-width digits
@example(code="35050200100\n", level=Level.COMMUNITY)
@example(code="350502001001\n", level=Level.COMMUNITY)
@example(code=" 350502001001", level=Level.COMMUNITY)
@example(code="", level=Level.DISTRICT)
def test_it_refuses_anything_but_twelve_ascii_digits(code: str, level: Level) -> None:
    is_ascii_12 = len(code) == 12 and all(c in "0123456789" for c in code)
    if not is_ascii_12:
        assert not _accepted(code, level, None)


@given(township=st.integers(1, 399), village=st.integers(1, 399))
def test_it_accepts_every_community_under_its_station(township: int, village: int) -> None:
    station = f"350502{township:03d}000"
    assert _accepted(station, Level.STATION, DISTRICT)
    assert _accepted(f"350502{township:03d}{village:03d}", Level.COMMUNITY, station)


@given(other=st.integers(1, 399).filter(lambda n: n != 1), village=st.integers(1, 399))
def test_it_refuses_a_community_code_from_another_station(other: int, village: int) -> None:
    assert not _accepted(f"350502{other:03d}{village:03d}", Level.COMMUNITY, STATION)


@pytest.mark.parametrize(
    ("code", "level", "parent", "message"),
    [
        ("35050200100", Level.COMMUNITY, STATION, "12"),
        ("350502001001", Level.DISTRICT, None, "000000"),
        ("350502000000", Level.STATION, DISTRICT, "001"),
        ("350502001001", Level.STATION, DISTRICT, "000"),
        ("350503001000", Level.STATION, DISTRICT, "350502"),
        ("350502001000", Level.COMMUNITY, STATION, "399"),
        ("350502002001", Level.COMMUNITY, STATION, "350502001"),
    ],
)
def test_it_explains_each_refusal(code: str, level: str, parent: str | None, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_division_code(code, level, parent)
    assert message in " ".join(exc.value.message_dict["code"])
