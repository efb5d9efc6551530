"""What an activity page offers comes from the activity (available_actions),
not from status words in the template."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from casework.services import activity_cancel, activity_complete, activity_create
from casework.tests.factories import domain

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
START = dt.datetime(2026, 11, 21, 9, 0, tzinfo=SH)


def _activity(actor, unit):
    return activity_create(
        actor=actor,
        unit=unit,
        title="重阳敬老活动",
        domain=domain(),
        venue="社区活动中心",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=3),
        organiser="甲街道社工站",
    )


def test_it_offers_what_each_state_of_an_activity_allows(tree, worker):
    activity = _activity(worker, tree.a1)
    before, after = START - dt.timedelta(hours=1), START + dt.timedelta(hours=1)
    assert activity.available_actions(before) == ["signup", "photo", "edit", "cancel"]
    assert activity.available_actions(after) == ["signup", "photo", "record", "edit", "cancel"]
    activity_complete(actor=worker, activity=activity, attended_signup_ids=[], head_count=5, summary="顺利")
    assert activity.available_actions(after) == ["signup", "photo", "record", "edit"]
    other = _activity(worker, tree.a1)
    activity_cancel(actor=worker, activity=other, reason="下雨")
    assert other.available_actions(after) == []


def test_it_shows_the_allowed_actions_as_buttons_to_staff_who_edit(tree, worker, viewer, as_user):
    activity = _activity(worker, tree.a1)
    url = reverse("casework:activity_detail", args=[activity.pk])
    body = as_user(worker).get(url).content.decode()
    for name in activity.available_actions():
        assert f'data-testid="action-{name}"' in body
    assert reverse("casework:activity_cancel", args=[activity.pk]) in body
    assert 'data-testid="action-' not in as_user(viewer).get(url).content.decode()
    activity_cancel(actor=worker, activity=activity, reason="下雨")
    assert 'data-testid="action-' not in as_user(worker).get(url).content.decode()
