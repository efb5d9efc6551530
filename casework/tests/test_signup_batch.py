"""Signing many residents up for an activity at once (casework/services/signups.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditEvent
from casework.models import ActivitySignup
from casework.services.activities import activity_cancel, activity_create, activity_signup_add
from casework.services.signups import activity_signup_batch, signup_batch_plan
from casework.tests.factories import domain
from people.models import PersonStatus
from people.tests.factories import PersonFactory, person_with_category

pytestmark = pytest.mark.django_db
SH = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def activity(tree, worker):
    start = dt.datetime(2026, 12, 21, 9, 0, tzinfo=SH)
    return activity_create(
        actor=worker,
        unit=tree.station_a,
        title="冬至包饺子",
        domain=domain(),
        venue="社区活动中心",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        organiser="甲街道社工站",
    )


def test_it_adds_the_rest_and_says_who_is_skipped_and_why(tree, worker, activity):
    fresh = [PersonFactory(unit=tree.a1) for _ in range(3)]
    signed = PersonFactory(unit=tree.a1)
    activity_signup_add(actor=worker, activity=activity, person=signed)
    gone = PersonFactory(unit=tree.a1, is_active=False, status=PersonStatus.DECEASED)
    theirs = PersonFactory(unit=tree.b1)
    ids = [p.pk for p in [*fresh, signed, gone, theirs]]
    plan = signup_batch_plan(actor=worker, activity=activity, person_ids=ids)
    assert {p.pk for p in plan.add} == {p.pk for p in fresh}
    reasons = dict(plan.skipped)
    assert reasons[signed.name] == "已报名"
    assert reasons[gone.name] == gone.get_status_display()
    assert reasons[f"档案号 {theirs.pk}"] == "不在您的辖区"
    assert ActivitySignup.objects.filter(activity=activity).count() == 1  # the preview writes nothing

    done = activity_signup_batch(actor=worker, activity=activity, person_ids=ids)
    assert len(done.add) == 3 and len(done.skipped) == 3
    assert ActivitySignup.objects.filter(activity=activity).count() == 4
    event = AuditEvent.objects.get(action=Action.ACTIVITY_SIGNUP_BATCH)
    assert event.changes == {"signed_up": [None, 3], "skipped": [None, 3]}


def test_it_resolves_a_pasted_list_of_names_and_phone_tails(tree, worker, activity):
    a = PersonFactory(unit=tree.a1, name="钱一", phone="13800007771")
    b = PersonFactory(unit=tree.a2, name="钱二", phone="13800008882")
    PersonFactory(unit=tree.a1, name="孙同")
    PersonFactory(unit=tree.a2, name="孙同")
    plan = signup_batch_plan(actor=worker, activity=activity, pasted="钱一\n8882，孙同、无此人")
    assert {p.pk for p in plan.add} == {a.pk, b.pk}
    assert [w for w, _why in plan.skipped] == ["孙同", "无此人"]


def test_it_picks_by_community_and_category(tree, worker, activity):
    alone = [person_with_category(tree.a1, "elderly_alone") for _ in range(2)]
    PersonFactory(unit=tree.a1)  # no category
    person_with_category(tree.a2, "elderly_alone")  # another community
    plan = signup_batch_plan(
        actor=worker, activity=activity, filters={"community": tree.a1, "category": alone[0].categories.get().category}
    )
    assert {p.pk for p in plan.add} == {p.pk for p in alone}


def test_it_refuses_bad_input_and_writes_nothing(tree, worker, outsider, activity):
    with pytest.raises(ValidationError):
        activity_signup_batch(actor=worker, activity=activity, pasted="\n".join(f"名{i}" for i in range(201)))
    with pytest.raises(ValidationError, match="没有可报名的人"):
        activity_signup_batch(actor=worker, activity=activity, pasted="无此人")
    with pytest.raises(Http404):
        activity_signup_batch(actor=outsider, activity=activity, person_ids=[PersonFactory(unit=tree.b1).pk])
    activity_cancel(actor=worker, activity=activity, reason="下雨")
    with pytest.raises(ValidationError):  # cancelled
        activity_signup_batch(actor=worker, activity=activity, person_ids=[PersonFactory(unit=tree.a1).pk])
    assert not ActivitySignup.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.ACTIVITY_SIGNUP_BATCH).exists()


def test_it_previews_then_signs_up_through_the_page(tree, worker, activity, as_user):
    people = [PersonFactory(unit=tree.a1, name=f"周{i}") for i in range(3)]
    client = as_user(worker)
    url = reverse("casework:signup_batch", args=[activity.pk])
    once = client.get(url).context["form"]["_once"].value()
    data = {"persons": [p.pk for p in people[:2]], "pasted": people[2].name, "_once": once}
    preview = client.post(url, data)
    assert preview.status_code == 200 and 'data-testid="batch-preview"' in preview.content.decode()
    assert not ActivitySignup.objects.exists()
    done = client.post(url, {**data, "confirm": "yes"})
    assert done.status_code == 302
    assert ActivitySignup.objects.filter(activity=activity).count() == 3
    assert client.post(url, {**data, "confirm": "yes"}).status_code == 302  # sent twice: signed up once
    assert ActivitySignup.objects.filter(activity=activity).count() == 3


def test_it_searches_in_scope_as_one_types(tree, worker, outsider, activity, as_user):
    PersonFactory(unit=tree.a1, name="冯小明", phone="13800003333")
    PersonFactory(unit=tree.b1, name="冯小红")
    url = reverse("casework:signup_search", args=[activity.pk])
    found = as_user(worker).get(url, {"q": "冯", "field": "persons"}, headers={"HX-Request": "true"})
    page = found.content.decode()
    assert "冯小明" in page and "冯小红" not in page and "138****3333" in page and "13800003333" not in page
    assert as_user(outsider).get(url, {"q": "冯"}, headers={"HX-Request": "true"}).status_code == 404


def test_it_offers_a_search_instead_of_every_resident_in_the_single_form(tree, worker, activity, as_user):
    people = [PersonFactory(unit=tree.a1) for _ in range(30)]
    client = as_user(worker)
    url = reverse("casework:signup_add", args=[activity.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="person-search"' in page and people[0].name not in page
    once = client.get(url).context["form"]["_once"].value()
    assert client.post(url, {"person": people[0].pk, "_once": once}).status_code == 302
    assert ActivitySignup.objects.get().person == people[0]
