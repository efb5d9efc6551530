"""volunteers.services: teams and volunteers are refused with a message in
Chinese and nothing saved on bad input, and outsiders cannot write."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from audit.models import AuditEvent
from volunteers import services
from volunteers.models import Volunteer, VolunteerTeam

pytestmark = pytest.mark.django_db


def test_it_creates_a_team_led_by_a_station_worker_and_audits_it(tree: Any, lead: Any, worker: Any) -> None:
    team = services.team_create(actor=lead, unit=tree.station_a, name="  爱心服务队 ", leader=worker)
    assert (team.name, team.leader) == ("爱心服务队", worker)
    assert AuditEvent.objects.get(action="volunteer_team.create").target_id == str(team.pk)


def test_it_refuses_a_blank_name_or_an_outside_leader_in_chinese(tree: Any, lead: Any, outsider: Any) -> None:
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as blank:
            services.team_create(actor=lead, unit=tree.station_a, name="  ")
        with pytest.raises(ValidationError) as foreign:
            services.team_create(actor=lead, unit=tree.station_a, name="服务队", leader=outsider)
    assert blank.value.message_dict["name"] == ["请填写名称。"]
    assert foreign.value.message_dict["leader"] == ["服务队须由本站社工带领。"]
    assert not VolunteerTeam.objects.exists()
    assert not AuditEvent.objects.filter(action="volunteer_team.create").exists()


def test_it_refuses_an_outsider_registering_in_station_a(tree: Any, outsider: Any) -> None:
    with pytest.raises(Http404):
        services.volunteer_create(actor=outsider, unit=tree.a1, name="王志愿")
    with pytest.raises(Http404):
        services.team_create(actor=outsider, unit=tree.station_a, name="越权队")
    assert not Volunteer.objects.exists() and not VolunteerTeam.objects.exists()


def test_it_refuses_a_volunteer_without_a_name_and_saves_nothing(tree: Any, worker: Any) -> None:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        services.volunteer_create(actor=worker, unit=tree.a1, name=" ")
    assert "name" in exc.value.message_dict
    assert not Volunteer.objects.exists()
    assert not AuditEvent.objects.filter(action="volunteer.create").exists()


def test_it_refuses_malformed_availability(tree: Any, worker: Any) -> None:
    with pytest.raises(ValidationError):
        services.clean_availability({"mon": ["midnight"]})
    assert services.clean_availability({"sat": ["am"]}) == {"sat": ["am"]}
