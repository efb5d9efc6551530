"""volunteers.selectors: each read keeps to the user's subtree, and the
registry's one search finds a volunteer by what a station knows of them."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest

from core import identity
from volunteers import selectors
from volunteers.models import Skill, Volunteer, VolunteerTeam
from volunteers.tests.factories import VolunteerFactory, VolunteerTeamFactory

pytestmark = pytest.mark.django_db


def test_volunteers_and_teams_visible_keep_to_the_subtree(
    tree: Any, worker: Any, community_worker: Any, outsider: Any, admin: Any
) -> None:
    in_a1 = VolunteerFactory(unit=tree.a1)
    in_a2 = VolunteerFactory(unit=tree.a2)
    in_b1 = VolunteerFactory(unit=tree.b1)
    team_a = VolunteerTeamFactory(unit=tree.station_a)
    team_b = VolunteerTeamFactory(unit=tree.station_b)
    assert set(selectors.volunteers_visible(worker)) == {in_a1, in_a2}
    assert set(selectors.volunteers_visible(community_worker)) == {in_a1}
    assert set(selectors.volunteers_visible(outsider)) == {in_b1}
    assert set(selectors.volunteers_visible(admin)) == {in_a1, in_a2, in_b1}
    assert set(selectors.teams_visible(worker)) == {team_a}
    assert set(selectors.teams_visible(outsider)) == {team_b}


def test_teams_with_counts_counts_each_teams_members_once(tree: Any, worker: Any, outsider: Any) -> None:
    big = cast(VolunteerTeam, VolunteerTeamFactory(unit=tree.station_a, name="大队"))
    small = cast(VolunteerTeam, VolunteerTeamFactory(unit=tree.station_a, name="小队"))
    both = cast(Volunteer, VolunteerFactory(unit=tree.a1))
    both.teams.add(big, small)
    cast(Volunteer, VolunteerFactory(unit=tree.a2)).teams.add(big)
    teams: list[Any] = list(selectors.teams_with_counts(worker))  # annotated with `n`
    assert {t.name: t.n for t in teams} == {"大队": 2, "小队": 1}
    assert list(selectors.teams_with_counts(outsider)) == []


def test_filter_volunteers_finds_by_name_pinyin_initials_phone_id_tail_and_skill_note(tree: Any, worker: Any) -> None:
    rid = identity.make_resident_id("350502", dt.date(1990, 1, 2), 2, "F")  # ends in 0021
    zhang = cast(Volunteer, VolunteerFactory(unit=tree.a1, name="张小红", phone="13900004321", skills_note="会剪发"))
    identity.store_id(zhang, rid)
    zhang.save()
    other = cast(Volunteer, VolunteerFactory(unit=tree.a1, name="李四", phone="13911112222"))
    qs = selectors.volunteers_visible(worker)

    def found(q: str) -> set[Volunteer]:
        return set(selectors.filter_volunteers(qs, q=q))

    assert found("张小红") == {zhang}
    assert found("zxh") == {zhang}
    assert found("zhang") == {zhang}
    assert found("4321") == {zhang}
    assert found("0021") == {zhang}
    assert found("剪发") == {zhang}
    assert found("") == {zhang, other}


def test_filter_volunteers_by_skill_and_day_and_leaves_the_inactive_out(tree: Any, worker: Any) -> None:
    escort = Skill.objects.get(code="escort")
    weekday = cast(Volunteer, VolunteerFactory(unit=tree.a1, availability={"tue": ["am"]}, skills=[escort]))
    weekend = cast(Volunteer, VolunteerFactory(unit=tree.a1, availability={"sat": ["pm"]}))
    gone = cast(Volunteer, VolunteerFactory(unit=tree.a1, availability={"tue": ["pm"]}, is_active=False))
    qs = selectors.volunteers_visible(worker)
    assert set(selectors.filter_volunteers(qs, day="tue")) == {weekday}
    assert set(selectors.filter_volunteers(qs, day="tue", active_only=False)) == {weekday, gone}
    assert set(selectors.filter_volunteers(qs, skill=escort)) == {weekday}
    assert set(selectors.filter_volunteers(qs, day="someday")) == {weekday, weekend}
