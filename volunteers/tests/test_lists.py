"""volunteers.lists: the volunteer list's export (masked unless the user may
unmask, audited with its row count) and the team list, scoped like the rest."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from core import identity
from tests.lists import assert_flat_queries, xlsx_rows
from volunteers.models import Volunteer, VolunteerTeam
from volunteers.tests.factories import VolunteerFactory, VolunteerTeamFactory

pytestmark = pytest.mark.django_db

RID = identity.make_resident_id("350502", dt.date(1986, 7, 8), 35, "M")


def _volunteer_with_id(unit: Any, **kw: Any) -> Volunteer:
    v = cast(Volunteer, VolunteerFactory(unit=unit, phone="13966661234", address="东街路8号2单元", **kw))
    identity.store_id(v, RID)
    v.save()
    return v


def test_a_worker_exports_what_is_filtered_masked_and_the_export_is_audited(
    tree: Any, worker: Any, as_user: Any
) -> None:
    v = _volunteer_with_id(tree.a1, name="导出甲")
    VolunteerFactory(unit=tree.a2, name="导出乙")
    VolunteerFactory(unit=tree.b1, name="乙站志愿者")
    url = reverse("volunteers:volunteer_list")
    rows = xlsx_rows(as_user(worker).get(url, {"unit": tree.a1.pk, "export": "masked"}))
    assert rows[0][:4] == ("姓名", "性别", "出生日期", "身份证号")
    assert [r[0] for r in rows[1:]] == [v.name]
    cells = [str(c) for c in rows[1]]
    assert RID not in cells and identity.mask_id(RID) in cells
    assert "139****1234" in cells and "13966661234" not in cells and "东街路8号2单元" not in cells
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.changes["rows"], event.changes["unmasked"]) == (
        "volunteer.export",
        worker,
        1,
        False,
    )


def test_only_a_user_who_may_unmask_gets_the_full_id_and_that_is_audited_apart(
    tree: Any, worker: Any, lead: Any, as_user: Any
) -> None:
    _volunteer_with_id(tree.a1)
    url = reverse("volunteers:volunteer_list")
    assert as_user(worker).get(url, {"export": "unmasked"}).status_code == 403
    assert not AuditEvent.objects.exists()
    cells = [str(c) for row in xlsx_rows(as_user(lead).get(url, {"export": "unmasked"})) for c in row]
    assert RID in cells and "13966661234" in cells and "东街路8号2单元" in cells
    event = AuditEvent.objects.get()
    assert (event.action, event.changes["rows"], event.changes["unmasked"]) == ("volunteer.export_unmasked", 1, True)


def test_an_outsiders_export_holds_none_of_station_a(tree: Any, outsider: Any, as_user: Any) -> None:
    _volunteer_with_id(tree.a1, name="甲站的")
    rows = xlsx_rows(as_user(outsider).get(reverse("volunteers:volunteer_list"), {"export": "masked"}))
    assert rows[1:] == []
    assert AuditEvent.objects.get(action="volunteer.export").changes["rows"] == 0


def test_the_team_list_counts_members_and_filters_by_unit_and_name(tree: Any, worker: Any, as_user: Any) -> None:
    elders = cast(VolunteerTeam, VolunteerTeamFactory(unit=tree.station_a, name="助老服务队", leader=worker))
    VolunteerTeamFactory(unit=tree.a2, name="护河队")
    for _ in range(3):
        cast(Volunteer, VolunteerFactory(unit=tree.a1)).teams.add(elders)
    url = reverse("volunteers:team_list")
    c = as_user(worker)
    page = c.get(url)
    rows = {row.name: row.n for row in page.context["lst"].page.object_list}
    assert rows == {"助老服务队": 3, "护河队": 0}
    body = c.get(url, {"unit": tree.a2.pk}).content.decode()
    assert "护河队" in body and "助老服务队" not in body
    body = c.get(url, {"q": "助老"}).content.decode()
    assert "助老服务队" in body and "护河队" not in body
    # A team's name leads to its members on the volunteer list.
    assert f"{reverse('volunteers:volunteer_list')}?team={elders.pk}" in page.content.decode()


def test_the_team_list_shows_an_outsider_none_of_station_a(tree: Any, outsider: Any, as_user: Any) -> None:
    VolunteerTeamFactory(unit=tree.station_a, name="甲站服务队")
    url = reverse("volunteers:team_list")
    assert "甲站服务队" not in as_user(outsider).get(url).content.decode()
    assert "甲站服务队" not in as_user(outsider).get(url, {"unit": tree.a1.pk}).content.decode()


def test_the_edit_link_shows_only_to_those_who_may_edit(tree: Any, worker: Any, viewer: Any, as_user: Any) -> None:
    team = cast(VolunteerTeam, VolunteerTeamFactory(unit=tree.station_a))
    edit = reverse("volunteers:team_edit", args=[team.pk])
    assert edit in as_user(worker).get(reverse("volunteers:team_list")).content.decode()
    assert edit not in as_user(viewer).get(reverse("volunteers:team_list")).content.decode()


def test_the_team_list_costs_the_same_queries_for_many_teams(tree: Any, lead: Any, as_user: Any, settings: Any) -> None:
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [50], 50

    def add(k: int) -> None:
        for i in range(k):
            team = cast(VolunteerTeam, VolunteerTeamFactory(unit=tree.a1 if i % 2 else tree.station_a, leader=lead))
            cast(Volunteer, VolunteerFactory(unit=tree.a1)).teams.add(team)

    assert_flat_queries(as_user(lead), reverse("volunteers:team_list"), add)
