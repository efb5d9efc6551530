"""The one rule for filing a record under a project (projects/links.py), as
the activity and group services apply it: a project of the record's own
station or of the district, never another station's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from casework.services import activity_create, group_create
from casework.tests.factories import domain
from projects.tests.factories import project_for

START = dt.datetime(2026, 5, 9, 1, 0, tzinfo=dt.UTC)


def _activity(actor: Any, unit: Any, project: Any) -> Any:
    return activity_create(
        actor=actor,
        unit=unit,
        title="亲子阅读",
        domain=domain(),
        venue="社区活动室",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=2),
        organiser="社工站",
        project=project,
    )


def _group(actor: Any, unit: Any, project: Any) -> Any:
    return group_create(
        actor=actor,
        unit=unit,
        name="乐童小组",
        domain=domain(),
        goals="提升社交能力",
        start_on=START.date(),
        project=project,
    )


FILERS: dict[str, Callable[[Any, Any, Any], Any]] = {"activity": _activity, "group": _group}


@pytest.mark.parametrize("kind", FILERS)
def test_it_files_a_record_under_its_station_or_the_district(tree: Any, lead: Any, admin: Any, kind: str) -> None:
    own = project_for(lead, tree.station_a, name="乐童公社")
    district = project_for(admin, tree.district, name="新春楹联")
    assert FILERS[kind](lead, tree.a1, own).project == own
    assert FILERS[kind](lead, tree.a1, district).project == district


@pytest.mark.parametrize("kind", FILERS)
def test_it_refuses_another_stations_project(tree: Any, lead: Any, admin: Any, kind: str) -> None:
    theirs = project_for(admin, tree.station_b, name="公益集市")
    model = {"activity": "casework.Activity", "group": "casework.Group"}[kind]
    before = apps.get_model(model).objects.count()
    with pytest.raises(ValidationError) as refused:
        FILERS[kind](lead, tree.a1, theirs)
    assert "project" in refused.value.message_dict
    assert apps.get_model(model).objects.count() == before
