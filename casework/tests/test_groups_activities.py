from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from casework.models import ActivityStatus, GroupAttendance
from casework.selectors import person_times, person_times_breakdown, persons_served
from casework.services import (
    activity_cancel,
    activity_complete,
    activity_create,
    activity_photo_add,
    activity_signup_add,
    case_service_deliver,
    group_attendance_set,
    group_create,
    group_member_add,
    group_scores_set,
    group_session_add,
)
from casework.tests.factories import case_in_intervention, domain
from people.tests.factories import PersonFactory
from tests import uploads
from volunteering.models import ServiceRecord
from volunteers.tests.factories import VolunteerFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
SH = ZoneInfo("Asia/Shanghai")


def _group(actor, unit, **kw):
    args = {
        "name": "长者互助小组",
        "domain": domain(),
        "goals": "减少孤独感",
        "start_on": dt.date(2026, 11, 1),
        "scale_name": "UCLA孤独量表",
        "higher_is_better": False,
    }
    args.update(kw)
    return group_create(actor=actor, unit=unit, **args)


def _activity(actor, unit, start=dt.datetime(2026, 11, 21, 9, 0, tzinfo=SH), **kw):
    args = {
        "title": "重阳敬老活动",
        "domain": domain(),
        "venue": "社区活动中心",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=3),
        "organiser": "甲街道社工站",
    }
    args.update(kw)
    return activity_create(actor=actor, unit=unit, **args)


def test_it_runs_a_group_with_attendance_and_score_changes(tree, worker):
    group = _group(worker, tree.station_a)
    a, b = PersonFactory(unit=tree.a1), PersonFactory(unit=tree.a2)
    ma = group_member_add(actor=worker, group=group, person=a)
    mb = group_member_add(actor=worker, group=group, person=b)
    with pytest.raises(ValidationError):
        group_member_add(actor=worker, group=group, person=a)
    s1 = group_session_add(actor=worker, group=group, date=dt.date(2026, 11, 5), topic="相识")
    s2 = group_session_add(actor=worker, group=group, date=dt.date(2026, 11, 12), topic="分享")
    assert (s1.number, s2.number) == (1, 2)
    group.refresh_from_db()
    assert group.status == "running"
    assert group_attendance_set(actor=worker, session=s1, member_ids=[ma.pk, mb.pk]) == 2
    assert group_attendance_set(actor=worker, session=s1, member_ids=[ma.pk]) == 1
    assert GroupAttendance.objects.filter(session=s1).count() == 1
    group_scores_set(actor=worker, group=group, scores={ma.pk: ("60", "42.5"), mb.pk: ("50", "")})
    ma.refresh_from_db()
    mb.refresh_from_db()
    assert ma.change == Decimal("-17.5") and mb.change is None


def test_it_refuses_bad_group_input(tree, worker, outsider):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        _group(worker, tree.station_a, name="", planned_sessions=0)
    assert exc.value.message_dict["name"] == ["请填写小组名称。"]
    assert "planned_sessions" in exc.value.message_dict
    group = _group(worker, tree.station_a)
    group_member_add(actor=worker, group=group, person=PersonFactory(unit=tree.a1))
    with pytest.raises(ValidationError):
        group_session_add(actor=worker, group=group, date=dt.date(2026, 10, 1), topic="早于开始")
    member = group.members.get()
    with pytest.raises(ValidationError):
        group_scores_set(actor=worker, group=group, scores={member.pk: ("abc", "1")})
    member.refresh_from_db()
    assert member.pre_score is None
    stranger = _group(worker, tree.a2, name="别组")
    other_member = group_member_add(actor=worker, group=stranger, person=PersonFactory(unit=tree.a2))
    session = group_session_add(actor=worker, group=group, date=dt.date(2026, 11, 5), topic="x")
    with pytest.raises(ValidationError):
        group_attendance_set(actor=worker, session=session, member_ids=[other_member.pk])


def test_it_keeps_residents_of_other_areas_out_of_a_group(tree, worker):
    group = _group(worker, tree.a1)
    with pytest.raises(ValidationError):
        group_member_add(actor=worker, group=group, person=PersonFactory(unit=tree.a2))


def test_it_completes_an_activity_and_gives_volunteers_service_records(tree, worker):
    act = _activity(worker, tree.station_a)
    p1, p2 = PersonFactory(unit=tree.a1), PersonFactory(unit=tree.a2)
    v1, v2 = VolunteerFactory(unit=tree.a1), VolunteerFactory(unit=tree.a1)
    s1 = activity_signup_add(actor=worker, activity=act, person=p1)
    activity_signup_add(actor=worker, activity=act, person=p2)
    sv1 = activity_signup_add(actor=worker, activity=act, volunteer=v1)
    sv2 = activity_signup_add(actor=worker, activity=act, volunteer=v2)
    with pytest.raises(ValidationError):
        activity_signup_add(actor=worker, activity=act, volunteer=v1)
    activity_complete(
        actor=worker,
        activity=act,
        attended_signup_ids=[s1.pk, sv1.pk, sv2.pk],
        head_count=30,
        summary="活动顺利",
        volunteer_hours={sv2.pk: "1.5"},
    )
    act.refresh_from_db()
    assert act.status == ActivityStatus.DONE and act.head_count == 30
    records = {r.volunteer_id: r for r in ServiceRecord.objects.all()}
    assert records[v1.pk].hours == Decimal("3.0") and records[v2.pk].hours == Decimal("1.5")
    assert records[v1.pk].source_type == "casework.activity" and records[v1.pk].date == dt.date(2026, 11, 21)
    # completing again does not duplicate service records
    activity_complete(
        actor=worker, activity=act, attended_signup_ids=[s1.pk, sv1.pk, sv2.pk], head_count=31, summary="更正"
    )
    assert ServiceRecord.objects.count() == 2


def test_it_rolls_back_attendance_when_a_volunteer_record_is_invalid(tree, worker):
    act = _activity(worker, tree.station_a)
    sv = activity_signup_add(actor=worker, activity=act, volunteer=VolunteerFactory(unit=tree.a1))
    with pytest.raises(ValidationError) as exc:
        activity_complete(
            actor=worker,
            activity=act,
            attended_signup_ids=[sv.pk],
            head_count=0,
            summary="x",
            volunteer_hours={sv.pk: "30"},
        )
    assert f"hours_{sv.pk}" in exc.value.message_dict
    act.refresh_from_db()
    sv.refresh_from_db()
    assert act.status == "planned" and not sv.attended and not ServiceRecord.objects.exists()


def test_it_refuses_bad_activity_input_in_chinese(tree, worker):
    start = dt.datetime(2026, 11, 30, 9, 0, tzinfo=SH)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc:
        _activity(worker, tree.station_a, start=start, ends_at=start - dt.timedelta(hours=1), title="")
    assert exc.value.message_dict["ends_at"] == ["活动结束时间必须晚于开始时间。"]
    future = _activity(worker, tree.station_a, start=start)
    with pytest.raises(ValidationError):  # not started yet
        activity_complete(actor=worker, activity=future, attended_signup_ids=[], head_count=5, summary="x")
    activity_cancel(actor=worker, activity=future, reason="天气原因")
    with pytest.raises(ValidationError):
        activity_signup_add(actor=worker, activity=future, person=PersonFactory(unit=tree.a1))


def test_it_counts_person_times_and_persons_served(tree, worker, lead, outsider):
    p1, p2, p3 = (PersonFactory(unit=tree.a1) for _ in range(3))
    # activity: 2 named attendees + 10 unnamed = 12 person-times
    act = _activity(worker, tree.station_a)
    s1 = activity_signup_add(actor=worker, activity=act, person=p1)
    s2 = activity_signup_add(actor=worker, activity=act, person=p2)
    activity_complete(actor=worker, activity=act, attended_signup_ids=[s1.pk, s2.pk], head_count=10, summary="好")
    # group: 2 sessions, p1 twice, p3 once = 3 person-times
    group = _group(worker, tree.station_a)
    m1 = group_member_add(actor=worker, group=group, person=p1)
    m3 = group_member_add(actor=worker, group=group, person=p3)
    for day in (5, 12):
        session = group_session_add(actor=worker, group=group, date=dt.date(2026, 11, day), topic="x")
        group_attendance_set(actor=worker, session=session, member_ids=[m1.pk, m3.pk] if day == 5 else [m1.pk])
    # case: 2 services delivered to p2 = 2 person-times
    case = case_in_intervention(worker, lead, person=p2)
    for day in (10, 20):
        case_service_deliver(actor=worker, case=case, date=dt.date(2026, 11, day), description="探视")
    start, end = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    breakdown = person_times_breakdown(lead, start, end)
    assert breakdown["activities"] == 12 and breakdown["groups"] == 3 and breakdown["cases"] == 2
    assert person_times(lead, start, end) == 17 + breakdown["visits"]
    assert persons_served(lead, start, end) == 3
    assert person_times(outsider, start, end) == 0 and persons_served(outsider, start, end) == 0
    assert person_times(lead, start, end, unit=tree.a2) == 0
    assert person_times(lead, dt.date(2026, 11, 13), dt.date(2026, 11, 19)) == 0


def test_it_serves_activity_photos_only_in_scope(tree, worker, outsider, as_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    act = _activity(worker, tree.station_a)
    photo = activity_photo_add(actor=worker, activity=act, upload=uploads.image("p.jpg"))
    url = reverse("casework:photo_view", args=[photo.pk])
    assert as_user(worker).get(url).status_code == 200
    assert as_user(outsider).get(url).status_code == 404
    with pytest.raises(ValidationError):
        activity_photo_add(actor=worker, activity=act, upload=SimpleUploadedFile("p.pdf", b"%PDF"))


def test_it_walks_the_group_and_activity_pages(tree, worker, as_user):
    c = as_user(worker)
    r = c.post(
        reverse("casework:group_create"),
        {
            "unit": tree.station_a.pk,
            "name": "亲子小组",
            "domain": domain("children").pk,
            "goals": "改善亲子沟通",
            "start_on": "2026-11-01",
            "planned_sessions": "6",
            "worker": worker.pk,
        },
    )
    assert r.status_code == 302
    group_url = r.url
    person = PersonFactory(unit=tree.a1)
    gid = int(group_url.rstrip("/").split("/")[-1])
    assert c.post(reverse("casework:member_add", args=[gid]), {"person": person.pk}).status_code == 302
    r = c.post(reverse("casework:session_add", args=[gid]), {"date": "2026-11-05", "topic": "破冰"})
    assert r.status_code == 302 and "/attendance/" in r.url
    member = person.group_memberships.get()
    assert c.post(r.url, {"members": [member.pk]}).status_code == 302
    r = c.post(reverse("casework:scores_edit", args=[gid]), {f"pre_{member.pk}": "x", f"post_{member.pk}": "1"})
    assert r.status_code == 200 and "分数须为数字。" in r.content.decode()
    assert (
        c.post(
            reverse("casework:scores_edit", args=[gid]), {f"pre_{member.pk}": "3", f"post_{member.pk}": "5"}
        ).status_code
        == 302
    )
    page = c.get(group_url).content.decode()
    assert "+2.0" in page
    r = c.post(
        reverse("casework:activity_create"),
        {
            "unit": tree.station_a.pk,
            "title": "义诊活动",
            "domain": domain().pk,
            "venue": "广场",
            "starts_at": "2026-11-22T09:00",
            "ends_at": "2026-11-22T11:00",
            "organiser": "社工站",
            "person_in_charge": worker.pk,
        },
    )
    assert r.status_code == 302
    aid = int(r.url.rstrip("/").split("/")[-1])
    vol = VolunteerFactory(unit=tree.a1)
    assert c.post(reverse("casework:signup_add", args=[aid]), {"volunteer": vol.pk, "person": ""}).status_code == 302
    signup = vol.activity_signups.get()
    r = c.post(
        reverse("casework:activity_complete", args=[aid]),
        {"attended": [signup.pk], f"hours_{signup.pk}": "", "head_count": "25", "summary": "义诊80人次"},
    )
    assert r.status_code == 302
    assert ServiceRecord.objects.get(volunteer=vol).hours == Decimal("2.0")
    detail = c.get(reverse("casework:activity_detail", args=[aid])).content.decode()
    assert 'data-testid="person-times">25<' in detail
    assert "义诊活动" in c.get(reverse("casework:activity_list")).content.decode()
    assert "亲子小组" in c.get(reverse("casework:group_list")).content.decode()


def test_it_edits_an_activity_and_refuses_bad_times(tree, worker, as_user):
    act = _activity(worker, tree.station_a)
    c = as_user(worker)
    url = reverse("casework:activity_edit", args=[act.pk])
    assert c.get(url).status_code == 200
    data = {
        "title": "重阳敬老活动（改期）",
        "domain": domain().pk,
        "venue": "社区广场",
        "starts_at": "2026-11-21T09:00",
        "ends_at": "2026-11-21T08:00",
        "organiser": "甲街道社工站",
        "person_in_charge": worker.pk,
    }
    r = c.post(url, data)
    assert r.status_code == 200 and "活动结束时间必须晚于开始时间。" in r.content.decode()
    act.refresh_from_db()
    assert act.title == "重阳敬老活动"
    r = c.post(url, {**data, "ends_at": "2026-11-21T11:30"})
    assert r.status_code == 302
    act.refresh_from_db()
    assert act.title == "重阳敬老活动（改期）" and act.venue == "社区广场"
