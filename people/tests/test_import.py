"""Roster import: upload → one background check of every row (progress
polled) → review → confirm once → one background save, all or nothing."""

from __future__ import annotations

import datetime as dt
import logging
import re
from io import BytesIO
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from audit.models import AuditEvent
from core import identity, imports
from core.models import ImportJob, ImportStatus
from people.models import Person, PersonCategory
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
HEAD = ["姓名", "身份证号", "性别", "出生日期", "社区", "联系电话", "类别", "类别起始日期"]
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def rid(n: int, born: dt.date = dt.date(1945, 3, 4), sex: str = "F") -> str:
    return identity.make_resident_id("350502", born, n, sex)


def xlsx(rows: list[list[Any]], head: list[str] = HEAD) -> SimpleUploadedFile:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(head)
    for r in rows:
        ws.append(r)
    buf = BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("roster.xlsx", buf.getvalue())


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def logs() -> Any:
    """Everything logged while the test runs, at every level."""
    kept, root = _Kept(), logging.getLogger()
    level = root.level
    root.addHandler(kept)
    root.setLevel(logging.DEBUG)
    yield kept
    root.removeHandler(kept)
    root.setLevel(level)


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Any:
    """`run(client.post, url, data)`: the request, then the jobs it queued (huey runs immediately in tests)."""

    def go(method: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return method(*args, **kwargs)

    return go


def upload(run: Any, client: Any, rows: list[list[Any]], **kw: Any) -> ImportJob:
    r = run(client.post, reverse("people:import_upload"), {"file": xlsx(rows, **kw)}, **ZH)
    assert r.status_code == 302, r.content.decode()[:500]
    job = ImportJob.objects.latest("pk")
    assert r.url == reverse("people:import_job", args=[job.pk])
    return job


def once_of(page: str) -> str:
    found = re.search(r'name="_once" value="([^"]+)"', page)
    assert found, "the confirmation carries a one-time token"
    return found[1]


def confirm(run: Any, client: Any, job: ImportJob, **data: Any) -> Any:
    url = reverse("people:import_job", args=[job.pk])
    token = once_of(client.get(url, **ZH).content.decode())
    return run(client.post, url, {"_once": token, **data}, **ZH)


def files(media: Any) -> list[Any]:
    return list(media.glob("imports/*"))


def test_it_checks_two_thousand_rows_once_then_saves_the_good_ones_when_asked(
    tree: Any, worker: Any, as_user: Any, media: Any, run: Any, logs: Any
) -> None:
    on_file: Any = PersonFactory(unit=tree.a1, name="旧档")
    identity.store_id(on_file, rid(999, born=dt.date(1950, 1, 1)))
    on_file.save()
    rows: list[list[Any]] = [
        [
            f"居民{i}",
            rid(i, born=dt.date(1940, 1, 1) + dt.timedelta(days=i)),
            None,
            None,
            "甲一社区",
            None,
            "低保",
            None,
        ]
        for i in range(2000)
    ]
    rows[10][1] = rows[10][1][:-1] + ("1" if rows[10][1][-1] != "1" else "2")  # row 12: a wrong check character
    rows[20][4] = "乙一社区"  # row 22: another station's community, outside the worker's area
    rows[30][6] = "外星人"  # row 32: no such category
    rows[40][1] = rows[39][1]  # row 42 repeats row 41
    rows[50][1] = rid(999, born=dt.date(1950, 1, 1))  # row 52 is on file
    c = as_user(worker)
    job = upload(run, c, rows)
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and job.upload and job.staged and job.refused  # the upload until the save
    assert (job.total, job.good, job.bad_rows, job.duplicate_count) == (2000, 1995, 3, 2)
    assert {(r, col) for r, col, _m in job.errors} == {
        (12, "身份证号（B列）"),
        (22, "社区（E列）"),
        (32, "类别（G列）"),
    }
    assert [(r, m) for r, _c, m in job.duplicates] == [
        (42, "身份证号与第 41 行相同：已跳过。"),
        (52, f"已在档：旧档，甲一社区（档案号 {on_file.pk}）：已跳过。"),
    ]
    page = c.get(reverse("people:import_job", args=[job.pk]), **ZH).content.decode()
    assert "第 41 行" in page and "外星人" in page and "导入 1995 行" in page
    assert Person.objects.count() == 1  # nothing saved before the confirmation

    r = confirm(run, c, job, valid_only="on")
    assert r.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.saved == 1995 and not job.staged and not job.upload
    assert Person.objects.count() == 1996 and not Person.objects.filter(unit=tree.b1).exists()
    assert PersonCategory.objects.filter(person__name__startswith="居民").count() == 1995
    first = Person.objects.get(name="居民0")
    assert identity.decrypt(first.id_cipher) == rows[0][1] and first.id_hash == identity.id_hash(rows[0][1])
    assert first.name_pinyin == "jumin0" and first.id_tail == rows[0][1][-4:] and first.created_by == worker
    assert AuditEvent.objects.filter(action="person.import").get().changes == {"rows": 1995, "skipped": 0}
    assert [f.suffix for f in files(media)] == [".refused"]  # the refused rows, encrypted, kept a day
    logged = logs.text + " ".join(str(v) for v in ImportJob.objects.values_list("errors", "duplicates", "message"))
    assert not any(row[1] in logged for row in rows)


def test_it_normalises_the_cells(tree: Any, worker: Any, as_user: Any, media: Any, run: Any) -> None:
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in rid(7))
    rows: list[list[Any]] = [
        [" 张 三 ", rid(3), "女", None, "甲一社区", "１３８００００１１１１", "低保、独居老人", "2024年1月5日"],
        ["李四", wide, None, None, "350502001002", None, None, 45296],
        ["王五", None, "男", "1950/2/3", "甲二社区", "0595-22345678", None, None],
    ]
    c = as_user(worker)
    job = upload(run, c, rows)
    confirm(run, c, job)
    assert Person.objects.count() == 3
    z = Person.objects.get(name="张三")
    assert z.name_initials == "zs" and z.phone == "13800001111" and identity.decrypt(z.id_cipher) == rid(3)
    assert z.phone_tail == "11110000831"
    assert set(PersonCategory.objects.filter(person=z).values_list("start_date", flat=True)) == {dt.date(2024, 1, 5)}
    assert Person.objects.get(name="李四").unit == tree.a2
    w = Person.objects.get(name="王五")
    assert (w.birth_date, w.sex, w.id_hash, w.id_cipher) == (dt.date(1950, 2, 3), "M", None, "")


def test_it_polls_the_progress_every_second_until_the_check_is_done(
    tree: Any, worker: Any, as_user: Any, media: Any
) -> None:
    c = as_user(worker)
    c.post(reverse("people:import_upload"), {"file": xlsx([["张三", rid(3), None, None, "甲一社区"]])})
    job = ImportJob.objects.get()  # the check was queued on commit, which never comes here
    url = reverse("people:import_job", args=[job.pk])
    fragment = c.get(url, HTTP_HX_REQUEST="true", **ZH).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'data-status="queued"' in fragment
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.CHECKING, total=2000, done=500)
    fragment = c.get(url, HTTP_HX_REQUEST="true", **ZH).content.decode()
    assert "500 / 2000 行" in fragment and 'value="25"' in fragment and "hx-trigger" in fragment
    with time_machine.travel(job.created_at + dt.timedelta(minutes=5)):
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.QUEUED)
        assert "后台任务程序似乎没有运行" in c.get(url, HTTP_HX_REQUEST="true", **ZH).content.decode()
    imports.job_check(job.pk)
    fragment = c.get(url, HTTP_HX_REQUEST="true", **ZH).content.decode()
    assert "hx-trigger" not in fragment and 'data-status="checked"' in fragment and once_of(fragment)


def test_it_shows_the_save_progress_from_the_shared_cache(tree: Any, worker: Any, as_user: Any, media: Any) -> None:
    from django.core.cache import cache

    job = ImportJob.objects.create(
        registry="people", unit=worker.unit, requested_by=worker, filename="a.xlsx", status="saving", good=4000
    )
    cache.set(f"core.imports.saved:{job.pk}", 1000)
    fragment = as_user(worker).get(reverse("people:import_job", args=[job.pk]), HTTP_HX_REQUEST="true", **ZH)
    assert "1000 / 4000 行" in fragment.content.decode()


def test_it_shows_an_import_to_its_uploader_only(
    tree: Any, worker: Any, colleague: Any, outsider: Any, as_user: Any, media: Any, run: Any
) -> None:
    job = upload(run, as_user(worker), [["张三", rid(3), None, None, "甲一社区"]])
    url = reverse("people:import_job", args=[job.pk])
    for other in (colleague, outsider):
        assert as_user(other).get(url).status_code == 404
        assert run(as_user(other).post, url, {}).status_code == 404
    assert as_user(worker).get(reverse("volunteers:import_job", args=[job.pk])).url == url
    assert Person.objects.count() == 0


def test_it_saves_once_however_often_the_confirmation_is_sent(
    tree: Any, worker: Any, as_user: Any, media: Any, run: Any
) -> None:
    c = as_user(worker)
    job = upload(run, c, [["张三", rid(3), None, None, "甲一社区"], ["李四", rid(5), None, None, "甲一社区"]])
    url = reverse("people:import_job", args=[job.pk])
    token = once_of(c.get(url).content.decode())
    other_tab = once_of(c.get(url).content.decode())
    for sent in (token, token, other_tab):
        assert run(c.post, url, {"_once": sent}).status_code == 302
    assert Person.objects.count() == 2
    assert AuditEvent.objects.filter(action="person.import").count() == 1


def test_it_says_why_a_file_cannot_be_read(tree: Any, worker: Any, as_user: Any, media: Any, run: Any) -> None:
    c = as_user(worker)
    job = upload(run, c, [["x"]], head=["名字"])
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "姓名" in job.message and not files(media)
    page = c.get(reverse("people:import_job", args=[job.pk]), **ZH).content.decode()
    assert "姓名" in page and "import-commit" not in page
    r = c.post(reverse("people:import_upload"), {"file": SimpleUploadedFile("a.xlsx", b"not excel")})
    assert r.status_code == 200 and r.context["form"].errors and ImportJob.objects.count() == 1
    job = upload(run, c, [])
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.message == "文件中没有数据行。"


def test_it_serves_a_template_with_chinese_headers(tree: Any, worker: Any, viewer: Any, as_user: Any) -> None:
    r = as_user(worker).get(reverse("people:import_template"))
    ws = load_workbook(BytesIO(r.content)).worksheets[0]
    assert [c.value for c in ws[1]][:2] == ["姓名*", "身份证号"]
    assert as_user(viewer).get(reverse("people:import_template")).status_code == 403


def test_it_saves_nothing_when_the_save_fails_half_way(
    tree: Any, worker: Any, as_user: Any, media: Any, run: Any, monkeypatch: Any, logs: Any
) -> None:
    from people import importers

    c = as_user(worker)
    job = upload(
        run, c, [["张三", rid(3), None, None, "甲一社区", None, "低保"], ["李四", rid(5), None, None, "甲一社区"]]
    )
    real = importers.insert_rows

    def persons_then_boom(model: Any, columns: Any, rows: Any) -> int:
        if model is PersonCategory:
            raise RuntimeError(f"disk full at {rid(3)}")
        return real(model, columns, rows)

    # the residents are inserted, then their categories fail: nothing may remain
    monkeypatch.setattr(importers, "insert_rows", persons_then_boom)
    confirm(run, c, job)
    job.refresh_from_db()
    assert Person.objects.count() == 0 and PersonCategory.objects.count() == 0
    assert job.status == ImportStatus.FAILED and "没有保存任何数据" in job.message and not files(media)
    assert "RuntimeError" in logs.text and rid(3) not in logs.text
    page = c.get(reverse("people:import_job", args=[job.pk]), **ZH).content.decode()
    assert job.message in page


def test_it_skips_a_resident_saved_by_someone_else_since_the_check(
    tree: Any, worker: Any, as_user: Any, media: Any, run: Any
) -> None:
    c = as_user(worker)
    job = upload(run, c, [["张三", rid(3), None, None, "甲一社区"], ["李四", rid(5), None, None, "甲一社区"]])
    meanwhile: Any = PersonFactory(unit=tree.a1, name="张三")
    identity.store_id(meanwhile, rid(3))
    meanwhile.save()
    confirm(run, c, job)
    job.refresh_from_db()
    assert (job.status, job.saved, job.duplicate_count) == (ImportStatus.DONE, 1, 1)
    assert Person.objects.count() == 2


def test_it_reports_a_race_on_the_same_id_instead_of_failing(
    tree: Any, worker: Any, as_user: Any, media: Any, run: Any, monkeypatch: Any
) -> None:
    from people import importers

    c = as_user(worker)
    job = upload(run, c, [["张三", rid(3), None, None, "甲一社区"]])

    def clash(*a: Any, **k: Any) -> int:
        raise IntegrityError("UNIQUE constraint failed: people_person.id_hash")

    monkeypatch.setattr(importers, "insert_rows", clash)
    r = confirm(run, c, job)
    page = c.get(r.url, **ZH).content.decode()
    assert "其他人" in page and Person.objects.count() == 0


def test_it_refuses_rows_outside_the_area_at_save_time(
    tree: Any, worker: Any, as_user: Any, media: Any, run: Any
) -> None:
    c = as_user(worker)
    job = upload(run, c, [["张三", rid(3), None, None, "甲一社区"]])
    url = reverse("people:import_job", args=[job.pk])
    c.post(url, {"_once": once_of(c.get(url).content.decode())})  # confirmed; the save is queued on commit
    worker.unit = tree.station_b  # moved to another station before the worker got to it
    worker.save()
    imports.job_save(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and Person.objects.count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
def test_it_saves_through_copy_on_postgresql(
    tree: Any, worker: Any, as_user: Any, media: Any, run: Any, monkeypatch: Any
) -> None:
    from core import inserts

    def not_here(*a: Any, **k: Any) -> int:
        raise AssertionError("PostgreSQL saves with COPY")

    monkeypatch.setattr(inserts, "_executemany", not_here)
    c = as_user(worker)
    job = upload(run, c, [["张三", rid(3), None, None, "甲一社区", None, "低保", "2024-01-05"]])
    confirm(run, c, job)
    z = Person.objects.get()
    assert identity.decrypt(z.id_cipher) == rid(3) and z.created_at and z.status == "active"
    assert PersonCategory.objects.get(person=z).start_date == dt.date(2024, 1, 5)
