from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from audit.models import AuditEvent
from core import identity
from core.models import ServiceDomain
from volunteers import services
from volunteers.importers import parse_availability
from volunteers.models import Skill, Volunteer, VolunteerTeam
from volunteers.tests.factories import VolunteerFactory, VolunteerTeamFactory

pytestmark = pytest.mark.django_db
RID = identity.make_resident_id("350502", dt.date(1990, 4, 5), 21, "M")


def test_it_registers_a_volunteer_with_skills_availability_and_consent(tree, worker, as_user):
    team = VolunteerTeamFactory(unit=tree.station_a, leader=worker)
    escort = Skill.objects.get(code="escort")
    r = as_user(worker).post(
        reverse("volunteers:volunteer_create"),
        {
            "unit": tree.a1.pk,
            "name": "陈志愿",
            "resident_id": RID,
            "phone": "13912345678",
            "skills": [escort.pk],
            "skills_note": "会开车",
            "domains": [ServiceDomain.objects.get(code="elderly").pk],
            "teams": [team.pk],
            "availability": ["sat:am", "sat:pm", "mon:eve"],
            "max_tasks_per_week": 3,
            "consent_at": "2024/3/1",
        },
    )
    v = Volunteer.objects.get()
    assert r.status_code == 302
    assert v.availability == {"mon": ["eve"], "sat": ["am", "pm"]}
    assert (v.birth_date, v.sex, v.name_initials) == (dt.date(1990, 4, 5), "M", "czy")
    assert list(v.skills.all()) == [escort] and list(v.teams.all()) == [team]
    assert RID not in str(AuditEvent.objects.get(action="volunteer.create").changes)
    body = as_user(worker).get(reverse("volunteers:volunteer_list"), {"q": "czy"}).content.decode()
    assert "陈志愿" in body
    body = as_user(worker).get(reverse("volunteers:volunteer_list"), {"day": "tue"}).content.decode()
    assert "陈志愿" not in body


def test_it_refuses_bad_input_and_duplicates(tree, worker, outsider):
    services.volunteer_create(actor=worker, unit=tree.a1, name="甲", resident_id=RID)
    with pytest.raises(ValidationError) as exc:
        services.volunteer_create(actor=outsider, unit=tree.b1, name="乙", resident_id=RID)
    assert "其他社工站" in exc.value.message_dict["resident_id"][0]
    with pytest.raises(ValidationError) as exc:
        services.volunteer_create(
            actor=worker,
            unit=tree.a1,
            name="丙",
            sex="F",
            birth_date=dt.date(1990, 1, 1),
            phone="123",
            availability={"xyz": ["am"]},
        )
    assert {"phone", "availability"} <= set(exc.value.message_dict)
    assert Volunteer.objects.count() == 1


def test_it_shows_chinese_errors_on_the_form(tree, worker, as_user):
    r = as_user(worker).post(
        reverse("volunteers:volunteer_create"),
        {"unit": tree.a1.pk, "name": "丁", "resident_id": "123", "max_tasks_per_week": 2},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert r.status_code == 200 and "18" in r.content.decode() and not Volunteer.objects.exists()


def test_it_hides_other_stations_volunteers_and_teams(tree, worker, as_user):
    v = VolunteerFactory(unit=tree.b1)
    t = VolunteerTeamFactory(unit=tree.station_b)
    c = as_user(worker)
    assert c.get(reverse("volunteers:volunteer_detail", args=[v.pk])).status_code == 404
    assert c.get(reverse("volunteers:volunteer_edit", args=[v.pk])).status_code == 404
    assert c.get(reverse("volunteers:team_edit", args=[t.pk])).status_code == 404
    assert v.name not in c.get(reverse("volunteers:volunteer_list")).content.decode()


def test_it_requires_a_social_worker_of_the_station_to_lead_a_team(tree, worker, outsider, community_worker):
    with pytest.raises(ValidationError):
        services.team_create(actor=worker, unit=tree.station_a, name="助老队", leader=community_worker)
    team = services.team_create(actor=worker, unit=tree.station_a, name="助老队", leader=worker)
    assert VolunteerTeam.objects.get() == team


def test_it_parses_availability_text():
    assert parse_availability("周六上午、周日全天") == {"sat": ["am"], "sun": ["am", "pm", "eve"]}
    with pytest.raises(ValidationError):
        parse_availability("随时")


def test_it_imports_volunteers_after_the_check(
    tree, worker, as_user, settings, tmp_path, django_capture_on_commit_callbacks
):
    from core.models import ImportJob

    settings.MEDIA_ROOT = tmp_path
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "居住区域", "联系电话", "技能", "每周可服务时间"])
    ws.append(["陈一", RID, "甲一社区", "13900001111", "陪诊陪医、课业辅导", "周六上午"])
    ws.append(["陈二", "123", "甲一社区", None, "飞行", "随时"])
    buf = BytesIO()
    wb.save(buf)
    c = as_user(worker)
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("volunteers:import_upload"), {"file": SimpleUploadedFile("v.xlsx", buf.getvalue())})
    job = ImportJob.objects.get()
    # columns named as the sheet has them, with their letters
    assert {(row, col) for row, col, _m in job.errors} == {
        (3, "身份证号（B列）"),
        (3, "技能（E列）"),
        (3, "每周可服务时间（F列）"),
    }
    assert not Volunteer.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):  # all or nothing: a refused row stops it
        c.post(reverse("volunteers:import_job", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "checked" and not Volunteer.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("volunteers:import_job", args=[job.pk]), {"valid_only": "on"})
    job.refresh_from_db()
    assert job.status == "done", job.message
    v = Volunteer.objects.get()
    assert v.availability == {"sat": ["am"]} and v.skills.count() == 2
