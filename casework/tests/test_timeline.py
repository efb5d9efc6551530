from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from casework.models import ActivitySignup, GroupAttendance
from casework.services import (
    activity_complete,
    activity_create,
    activity_signup_add,
    case_note_add,
    case_service_deliver,
    group_create,
    group_member_add,
    group_session_add,
    referral_create,
)
from casework.tests.factories import case_in_intervention, domain
from casework.timeline import person_timeline
from people.tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
SH = ZoneInfo("Asia/Shanghai")


def _life(tree, worker, lead):
    person = PersonFactory(unit=tree.a1, name="时间线老人")
    case = case_in_intervention(worker, lead, person=person)
    case_service_deliver(actor=worker, case=case, date=dt.date(2026, 11, 10), description="陪同就医")
    case_note_add(actor=worker, case=case, text="机密笔记不进时间线")
    referral_create(
        actor=worker,
        case=case,
        new_partner_name="区康复中心",
        reason="康复",
        referred_on=dt.date(2026, 11, 12),
        consent_on=dt.date(2026, 11, 12),
        consent_method="written",
    )
    group = group_create(
        actor=worker, unit=tree.station_a, name="怀旧小组", domain=domain(), goals="g", start_on=dt.date(2026, 11, 1)
    )
    member = group_member_add(actor=worker, group=group, person=person)
    session = group_session_add(actor=worker, group=group, date=dt.date(2026, 11, 6), topic="老照片")
    GroupAttendance.objects.create(session=session, member=member)
    start = dt.datetime(2026, 11, 8, 9, 0, tzinfo=SH)
    act = activity_create(
        actor=worker,
        unit=tree.station_a,
        title="重阳节游园",
        domain=domain(),
        venue="公园",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        organiser="站",
    )
    signup = activity_signup_add(actor=worker, activity=act, person=person)
    activity_complete(actor=worker, activity=act, attended_signup_ids=[signup.pk], head_count=0, summary="好")
    return person


def test_it_merges_every_source_newest_first(tree, worker, lead):
    person = _life(tree, worker, lead)
    events = person_timeline(lead, person)
    kinds = [e.kind for e in events]
    assert {"case", "service", "referral", "group", "activity"} <= set(kinds)
    days = [e.day for e in events]
    assert days == sorted(days, reverse=True)
    assert not any("机密笔记" in (e.title + e.detail) for e in events)
    titles = " ".join(e.title for e in events)
    assert "重阳节游园" in titles and "怀旧小组" in titles and "陪同就医" in titles


def test_it_includes_visits_and_card_changes_when_grading_has_them(tree, worker, lead):
    from django.utils import timezone

    from grading.models import CardChange, Visit

    person = PersonFactory(unit=tree.a1)
    Visit.objects.create(person=person, unit=person.unit, visited_on=dt.date(2026, 11, 3), findings="精神好")
    CardChange.objects.create(person=person, unit=person.unit, to_card="red", changed_at=timezone.now(), why="独居高龄")
    kinds = {e.kind for e in person_timeline(worker, person)}
    assert {"visit", "card"} <= kinds


def test_it_leaves_out_activities_of_units_outside_the_viewers_scope(tree, worker, lead, admin, community_worker):
    person = _life(tree, worker, lead)
    # the community worker of A1 sees the person but not the station-level activity or group
    kinds = {e.kind for e in person_timeline(community_worker, person)}
    assert "activity" not in kinds and "group" not in kinds
    assert "case" in kinds
    assert {"activity", "group"} <= {e.kind for e in person_timeline(admin, person)}
    assert ActivitySignup.objects.filter(person=person).exists()


def test_it_serves_the_timeline_as_a_fragment_and_a_page(tree, worker, lead, outsider, as_user):
    person = _life(tree, worker, lead)
    url = reverse("casework:person_timeline", args=[person.pk])
    fragment = as_user(lead).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and "重阳节游园" in fragment
    page = as_user(lead).get(url).content.decode()
    assert "<html" in page and "时间线老人" in page
    assert as_user(outsider).get(url).status_code == 404


def test_it_includes_the_timeline_on_the_person_page(tree, worker, as_user):
    person = PersonFactory(unit=tree.a1)
    page = as_user(worker).get(reverse("people:person_detail", args=[person.pk])).content.decode()
    assert 'data-testid="timeline"' in page
    assert reverse("casework:person_timeline", args=[person.pk]) in page


def test_it_limits_the_fragment_and_offers_the_rest(tree, worker, lead, as_user, monkeypatch):
    import casework.timeline as timeline

    monkeypatch.setattr(timeline, "DEFAULT_LIMIT", 2)
    person = _life(tree, worker, lead)
    url = reverse("casework:person_timeline", args=[person.pk])
    body = as_user(lead).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert body.count('<li class="tl-') == 2 and "?all=1" in body
    assert as_user(lead).get(url + "?all=1", HTTP_HX_REQUEST="true").content.decode().count('<li class="tl-') > 2


def test_it_shows_the_services_overview(tree, worker, lead, as_user):
    _life(tree, worker, lead)
    page = as_user(lead).get(reverse("casework:overview") + "?start=2026-11-01&end=2026-11-30").content.decode()
    # activity 1 + group 1 + interventions 1 = 3 person-times, 1 person
    assert 'data-testid="person-times">3<' in page
    assert 'data-testid="persons-served">1<' in page
    bad = as_user(lead).get(reverse("casework:overview") + "?start=2026-11-30&end=2026-11-01").content.decode()
    assert "早于" in bad and "errors" in bad  # the zh-hans message (wording may come from the project catalogue)


def test_it_escapes_everything_it_renders(tree, worker, lead, as_user):
    from casework.services import case_create

    person = PersonFactory(unit=tree.a1)
    case_create(
        actor=worker,
        person=person,
        domain=domain(),
        title='<script>alert("x")</script>',
        opened_on=dt.date(2026, 11, 2),
    )
    body = (
        as_user(lead)
        .get(reverse("casework:person_timeline", args=[person.pk]), HTTP_HX_REQUEST="true")
        .content.decode()
    )
    assert "<script>" not in body and "&lt;script&gt;" in body
