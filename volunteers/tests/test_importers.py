"""volunteers.importers: the roster's rows are checked one by one with a
message in Chinese, and a file is saved whole or not at all."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from audit.models import AuditEvent
from core import identity
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
    assert reg.save(worker, checked) == 2
    first = Volunteer.objects.get(name="林一")
    assert (first.unit, first.phone, first.birth_date, first.sex) == (tree.a1, "13900001111", dt.date(1988, 2, 3), "F")
    assert first.availability == {"sat": ["am"]} and first.skills.count() == 2
    assert [d.name for d in first.domains.all()] == ["养老"]
    assert identity.decrypt(first.id_cipher) == RID1
    assert Volunteer.objects.get(name="林二").unit == tree.a2
    event = AuditEvent.objects.get(action="volunteer.import")
    assert event.changes == {"rows": 2} and RID1 not in str(event.changes)


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
        (6, "身份证号"): "文件内重复：与第 5 行身份证号相同。",
        (7, "身份证号"): "已在其他社工站建档。",
    }
    # Only row 5 is good; nothing has been written by checking.
    assert [d["name"] for d in checked.rows] == ["甲"]
    assert Volunteer.objects.count() == 1


def test_it_saves_nothing_when_a_file_has_one_bad_row(
    tree: Any, worker: Any, as_user: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    c = as_user(worker)
    upload = _xlsx({"name": "好", "unit": "甲一社区"}, {"name": "坏", "unit": "甲一社区", "availability": "随时"})
    r = c.post(reverse("volunteers:import_upload"), {"file": upload}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 200
    assert [(e.row, e.column) for e in r.context["errors"]] == [(3, "每周可服务时间")]
    assert r.context["token"] == ""  # no commit offered
    assert not Volunteer.objects.exists() and not AuditEvent.objects.filter(action="volunteer.import").exists()


def test_it_commits_nothing_when_the_data_changed_since_the_preview(
    tree: Any, worker: Any, colleague: Any, as_user: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    c = as_user(worker)
    upload = _xlsx({"name": "先", "unit": "甲一社区"}, {"name": "后", "unit": "甲一社区", "resident_id": RID1})
    token = c.post(reverse("volunteers:import_upload"), {"file": upload}).context["token"]
    assert token
    services.volunteer_create(actor=colleague, unit=tree.a2, name="同事登记的", resident_id=RID1)
    r = c.post(reverse("volunteers:import_commit"), {"token": token}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.status_code == 302 and r["Location"] == reverse("volunteers:import_upload")
    assert [str(m) for m in get_messages(r.wsgi_request)] == ["预览后数据已有变化，请重新上传文件。"]
    assert list(Volunteer.objects.values_list("name", flat=True)) == ["同事登记的"]


def test_an_outsider_cannot_place_rows_in_station_a(tree: Any, outsider: Any) -> None:
    checked = VolunteerRegistry().check(outsider, _rows({"name": "越界", "unit": tree.a1.code}))
    assert [(e.row, e.column) for e in checked.errors] == [(2, "居住区域")] and checked.rows == []
