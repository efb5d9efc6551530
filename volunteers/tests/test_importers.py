"""volunteers.importers: the roster's rows are checked one by one with a
message in Chinese, and a file is saved whole or not at all."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from audit.models import AuditEvent
from core import identity
from core.models import ImportJob, ImportStatus
from volunteers import services
from volunteers.importers import VolunteerRegistry
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

HEADERS = {
    "name": "姓名",
    "resident_id": "身份证号",
    "sex": "性别",
    "birth_date": "出生日期",
    "unit": "居住区域",
    "phone": "联系电话",
    "skills": "技能",
    "domains": "服务类别",
    "availability": "每周可服务时间",
}
RID1 = identity.make_resident_id("350502", dt.date(1988, 2, 3), 11, "F")
RID2 = identity.make_resident_id("350502", dt.date(1979, 9, 9), 23, "M")


def _filled(row: dict[str, Any]) -> dict[str, Any]:
    # Without an ID number the roster needs the sex and birth date.
    return row if row.get("resident_id") else {"sex": "女", "birth_date": "1990-01-01", **row}


def _rows(*rows: dict[str, Any]) -> Any:
    return iter((n, _filled(row)) for n, row in enumerate(rows, start=2))


def _xlsx(*rows: dict[str, Any]) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(list(HEADERS.values()))
    for row in rows:
        ws.append([_filled(row).get(key) for key in HEADERS])
    buf = BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("roster.xlsx", buf.getvalue())


def test_it_saves_good_rows_with_skills_domains_and_availability_and_audits_the_count(tree: Any, worker: Any) -> None:
    reg = VolunteerRegistry()
    checked = reg.check(
        worker,
        _rows(
            {
                "name": "林 一",
                "resident_id": RID1,
                "unit": "甲一社区",
                "phone": "139 0000 1111",
                "skills": "陪诊陪医、课业辅导",
                "domains": "养老",
                "availability": "周六上午",
            },
            {"name": "林二", "unit": tree.a2.code},
        ),
    )
    assert checked.errors == [] and checked.total == 2
    assert reg.save(worker, checked.rows, lambda _n: None) == (2, 0)
    first = Volunteer.objects.get(name="林一")
    assert (first.unit, first.phone, first.birth_date, first.sex) == (tree.a1, "13900001111", dt.date(1988, 2, 3), "F")
    assert first.availability == {"sat": ["am"]} and first.skills.count() == 2
    assert [d.name for d in first.domains.all()] == ["养老"]
    assert identity.decrypt(first.id_cipher) == RID1
    assert Volunteer.objects.get(name="林二").unit == tree.a2
    event = AuditEvent.objects.get(action="volunteer.import")
    assert event.changes == {"rows": 2, "skipped": 0} and RID1 not in str(event.changes)
    assert RID1 not in str(checked.rows)  # the checked rows hold the ID only as stored


def test_it_names_each_bad_cell_in_chinese(tree: Any, worker: Any, outsider: Any) -> None:
    services.volunteer_create(actor=outsider, unit=tree.b1, name="乙站老志愿者", resident_id=RID2)
    with translation.override("zh-hans"):
        checked = VolunteerRegistry().check(
            worker,
            _rows(
                {"name": "", "unit": "甲一社区"},
                {"name": "外站", "unit": "乙一社区"},
                {"name": "会飞", "unit": "甲一社区", "skills": "飞行"},
                {"name": "甲", "unit": "甲一社区", "resident_id": RID1},
                {"name": "乙", "unit": "甲一社区", "resident_id": RID1},
                {"name": "丙", "unit": "甲一社区", "resident_id": RID2},
            ),
        )
    problems = {(e.row, e.column): e.message for e in checked.errors}
    assert problems == {
        (2, "姓名"): "缺少姓名。",
        (3, "居住区域"): "未知社区“乙一社区”（或不在您的管辖范围内）。",
        (4, "技能"): "未知技能“飞行”，请填入“其他技能”。",
    }
    assert {(e.row, e.column): e.message for e in checked.duplicates} == {
        (6, "身份证号"): "身份证号与第 5 行相同：已跳过。",
        (7, "身份证号"): "已在其他社工站建档：已跳过。",
    }
    # Only row 5 is good; nothing has been written by checking.
    assert [d["name"] for d in checked.rows] == ["甲"]
    assert Volunteer.objects.count() == 1


def _import(client: Any, capture: Any, upload: SimpleUploadedFile) -> ImportJob:
    with capture(execute=True):
        r = client.post(reverse("volunteers:import_upload"), {"file": upload}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 302
    return ImportJob.objects.latest("pk")


def _confirm(client: Any, capture: Any, job: ImportJob, **data: Any) -> ImportJob:
    url = reverse("volunteers:import_job", args=[job.pk])
    token = re.search(r'name="_once" value="([^"]+)"', client.get(url).content.decode())
    assert token
    with capture(execute=True):
        assert client.post(url, {"_once": token[1], **data}).status_code == 302
    job.refresh_from_db()
    return job


def test_it_leaves_the_bad_rows_out_when_asked_and_saves_the_good_ones_on_confirmation(
    tree: Any, worker: Any, as_user: Any, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    c = as_user(worker)
    upload = _xlsx({"name": "好", "unit": "甲一社区"}, {"name": "坏", "unit": "甲一社区", "availability": "随时"})
    job = _import(c, django_capture_on_commit_callbacks, upload)
    job.refresh_from_db()
    assert [(r, col) for r, col, _m in job.errors] == [(3, "每周可服务时间（I列）")] and job.good == 1
    assert not Volunteer.objects.exists() and not AuditEvent.objects.filter(action="volunteer.import").exists()
    assert _confirm(c, django_capture_on_commit_callbacks, job, valid_only="on").status == ImportStatus.DONE
    assert list(Volunteer.objects.values_list("name", flat=True)) == ["好"]


def test_it_skips_a_volunteer_registered_since_the_check(
    tree: Any,
    worker: Any,
    colleague: Any,
    as_user: Any,
    settings: Any,
    tmp_path: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path
    c = as_user(worker)
    upload = _xlsx({"name": "先", "unit": "甲一社区"}, {"name": "后", "unit": "甲一社区", "resident_id": RID1})
    job = _import(c, django_capture_on_commit_callbacks, upload)
    services.volunteer_create(actor=colleague, unit=tree.a2, name="同事登记的", resident_id=RID1)
    job = _confirm(c, django_capture_on_commit_callbacks, job)
    assert (job.status, job.saved, job.duplicate_count) == (ImportStatus.DONE, 1, 1)
    assert sorted(Volunteer.objects.values_list("name", flat=True)) == sorted(["同事登记的", "先"])


def test_an_outsider_cannot_place_rows_in_station_a(tree: Any, outsider: Any) -> None:
    checked = VolunteerRegistry().check(outsider, _rows({"name": "越界", "unit": tree.a1.code}))
    assert [(e.row, e.column) for e in checked.errors] == [(2, "居住区域")] and checked.rows == []
