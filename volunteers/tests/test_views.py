"""volunteers.views: the form pages save through the services and say so in
Chinese; an outsider gets 404 for station A's records, read or written."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core import identity
from volunteers import services
from volunteers.models import Volunteer, VolunteerTeam
from volunteers.tests.factories import VolunteerFactory, VolunteerTeamFactory

pytestmark = pytest.mark.django_db

RID = identity.make_resident_id("350502", dt.date(1992, 5, 6), 17, "F")
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _said(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_creating_a_volunteer_opens_the_file_with_the_id_masked(tree: Any, worker: Any, as_user: Any) -> None:
    c = as_user(worker)
    r = c.post(
        reverse("volunteers:volunteer_create"),
        {"unit": tree.a1.pk, "name": "周志愿", "resident_id": RID, "max_tasks_per_week": 2},
        **ZH,
    )
    v = Volunteer.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("volunteers:volunteer_detail", args=[v.pk])
    assert _said(r) == ["已添加周志愿。"]
    body = c.get(r["Location"]).content.decode()
    assert identity.mask_id(RID) in body and RID not in body


def test_editing_with_the_id_left_empty_keeps_the_stored_id(tree: Any, worker: Any, as_user: Any) -> None:
    v = services.volunteer_create(actor=worker, unit=tree.a1, name="吴志愿", resident_id=RID)
    r = as_user(worker).post(
        reverse("volunteers:volunteer_edit", args=[v.pk]),
        {"unit": tree.a2.pk, "name": "吴志愿", "resident_id": "", "phone": "13912340000", "max_tasks_per_week": 1},
        **ZH,
    )
    assert r.status_code == 302 and _said(r) == ["已保存修改。"]
    v.refresh_from_db()
    assert (v.unit, v.phone, v.max_tasks_per_week) == (tree.a2, "13912340000", 1)
    assert identity.decrypt(v.id_cipher) == RID and (v.birth_date, v.sex) == (dt.date(1992, 5, 6), "F")


def test_a_bad_edit_shows_the_form_again_and_changes_nothing(tree: Any, worker: Any, as_user: Any) -> None:
    v = cast(Volunteer, VolunteerFactory(unit=tree.a1, name="郑志愿", phone="13900000001"))
    r = as_user(worker).post(
        reverse("volunteers:volunteer_edit", args=[v.pk]),
        {"unit": tree.a1.pk, "name": "郑志愿", "phone": "12345", "max_tasks_per_week": 2},
        **ZH,
    )
    assert r.status_code == 200 and r.context["form"].errors["phone"]
    v.refresh_from_db()
    assert v.phone == "13900000001"


def test_an_outsider_gets_404_for_station_a_records_and_changes_nothing(tree: Any, outsider: Any, as_user: Any) -> None:
    v = cast(Volunteer, VolunteerFactory(unit=tree.a1, name="甲站志愿者"))
    team = cast(VolunteerTeam, VolunteerTeamFactory(unit=tree.station_a, name="甲站队"))
    c = as_user(outsider)
    assert c.get(reverse("volunteers:volunteer_detail", args=[v.pk])).status_code == 404
    assert c.get(reverse("volunteers:volunteer_edit", args=[v.pk])).status_code == 404
    edit = {"unit": tree.b1.pk, "name": "改名", "max_tasks_per_week": 2}
    assert c.post(reverse("volunteers:volunteer_edit", args=[v.pk]), edit).status_code == 404
    assert (
        c.post(reverse("volunteers:team_edit", args=[team.pk]), {"unit": tree.station_b.pk, "name": "改"}).status_code
        == 404
    )
    v.refresh_from_db()
    team.refresh_from_db()
    assert (v.name, v.unit, team.name) == ("甲站志愿者", tree.a1, "甲站队")


def test_a_viewer_may_read_but_not_register(tree: Any, viewer: Any, as_user: Any) -> None:
    c = as_user(viewer)
    assert c.get(reverse("volunteers:volunteer_list")).status_code == 200
    assert c.get(reverse("volunteers:volunteer_create")).status_code == 403
    r = c.post(reverse("volunteers:volunteer_create"), {"unit": tree.a1.pk, "name": "不该有", "max_tasks_per_week": 2})
    assert r.status_code == 403 and not Volunteer.objects.exists()


def test_a_team_is_created_and_renamed_back_on_the_team_list(tree: Any, worker: Any, as_user: Any) -> None:
    c = as_user(worker)
    teams = reverse("volunteers:team_list")
    r = c.post(
        reverse("volunteers:team_create"), {"unit": tree.station_a.pk, "name": "助残队", "leader": worker.pk}, **ZH
    )
    assert r.status_code == 302 and r["Location"] == teams and _said(r) == ["已保存。"]
    assert "助残队" in c.get(teams).content.decode()  # the message is shown there, once
    team = VolunteerTeam.objects.get()
    assert (team.name, team.leader) == ("助残队", worker)
    r = c.post(reverse("volunteers:team_edit", args=[team.pk]), {"unit": tree.station_a.pk, "name": "助残服务队"}, **ZH)
    assert r.status_code == 302 and r["Location"] == teams and _said(r) == ["已保存修改。"]
    team.refresh_from_db()
    assert (team.name, team.leader) == ("助残服务队", None)
