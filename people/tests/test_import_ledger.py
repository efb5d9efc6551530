"""A station's own ledger imports as it is kept (core/ledger.py): title rows,
merged cells, its own headers, IDs and phones as numbers, 出生年月, blank
rows; unknown headers are put to the uploader once and remembered; a file
with refused rows imports nothing unless the uploader chooses the valid
rows only, and the refused rows come back as a workbook to fix and import."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from audit.models import AuditEvent
from core import identity, imports, ledger
from core.models import ImportJob, ImportMapping, ImportStatus
from people.importers import PeopleRegistry
from people.models import Person
from tests import ledgers

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Any:
    """`run(client.post, url, data)`: the request, then the jobs it queued (huey runs immediately in tests)."""

    def go(method: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return method(*args, **kwargs)

    return go


def upload(run: Any, client: Any, content: bytes, registry: str = "people", name: str = "台账.xlsx") -> ImportJob:
    url = reverse(_url(registry, "import_upload"))
    r = run(client.post, url, {"file": SimpleUploadedFile(name, content)}, **ZH)
    assert r.status_code == 302, r.content.decode()[:800]
    job = ImportJob.objects.latest("pk")
    return job


def _url(registry: str, page: str) -> str:
    from core import excel

    return excel.registry(registry).url_name(page)


def confirm(run: Any, client: Any, job: ImportJob, **data: Any) -> Any:
    url = reverse(_url(job.registry, "import_job"), args=[job.pk])
    page = client.get(url, **ZH).content.decode()
    found = re.search(r'name="_once" value="([^"]+)"', page)
    assert found, page[:2000]
    return run(client.post, url, {"_once": found[1], **data}, **ZH)


def refused(client: Any, job: ImportJob) -> bytes:
    r = client.get(reverse(_url(job.registry, "import_refused"), args=[job.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    return b"".join(r) if r.streaming else r.content


def test_a_stations_ledger_is_judged_row_by_row_as_it_is_kept(
    tree: Any, worker: Any, as_user: Any, media: Any, run: Any
) -> None:
    content, blocks = ledgers.resident_ledger((tree.a1.name, tree.a2.name))
    c = as_user(worker)
    job = upload(run, c, content)
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED, job.message
    assert (job.header_row, job.total, job.good, job.bad_rows, job.duplicate_count) == (3, 40, 38, 2, 0)
    assert [(r, col) for r, col, _m in job.errors] == [(11, "身份证号码（D列）"), (30, "所属社区（F列）")]
    assert "校验" in job.errors[0][2] and "丙三社区" in job.errors[1][2]
    page = c.get(reverse("people:import_job", args=[job.pk]), **ZH).content.decode()
    assert "身份证号码（D列）" in page and "仅导入有效行" in page and "下载被拒绝的行" in page

    # all or nothing: without the choice, nothing is imported
    r = confirm(run, c, job)
    assert r.status_code == 200 and "什么也不导入" in r.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and Person.objects.count() == 0

    r = confirm(run, c, job, valid_only="on")
    assert r.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.saved == 38 and job.valid_only and not job.upload
    assert Person.objects.count() == 38
    # the merged community cell reached every row of its block; IDs typed as numbers kept every digit
    merged = Person.objects.get(name=blocks[0][12][1])
    assert merged.unit == tree.a1
    typed = next(b for b in blocks[0] if isinstance(b[3], int))
    upgraded = identity.parse_resident_id(str(typed[3])).number
    assert len(upgraded) == 18 and identity.decrypt(Person.objects.get(name=typed[1]).id_cipher) == upgraded
    assert Person.objects.get(name=blocks[0][0][1]).phone == "13800000000"
    assert Person.objects.get(name=blocks[0][1][1]).phone == "13900000001"

    # the refused rows, under the ledger's own headers, with the reasons; fixed, they import
    data = refused(c, job)
    rows = ledgers.sheet_rows(data)
    assert rows[0] == [*ledgers.RESIDENT_HEAD, "错误原因"]
    assert [r[1] for r in rows[1:]] == [blocks[0][7][1], blocks[1][5][1]]
    assert rows[1][3] == blocks[0][7][3] and isinstance(rows[1][3], str)
    assert rows[1][5] == tree.a1.name  # the merged cell's value, written out
    assert "身份证号码（D列）" in rows[1][-1] and "丙三社区" in rows[2][-1]
    assert AuditEvent.objects.filter(action="import.refused_export").count() == 1
    born = dt.date(1935 + 7, 1 + 7, 1 + 7)
    fixed = ledgers.rewrite(
        data,
        {(2, "身份证号码"): identity.make_resident_id("330106", born, 107, "M"), (3, "所属社区"): tree.a2.name},
    )
    again = upload(run, c, fixed, name="台账-被拒绝的行.xlsx")
    again.refresh_from_db()
    assert (again.status, again.good, again.bad_rows) == (ImportStatus.CHECKED, 2, 0), again.errors
    assert confirm(run, c, again).status_code == 302
    assert Person.objects.count() == 40


def test_unknown_headers_are_put_to_the_uploader_once_and_remembered(
    tree: Any, worker: Any, colleague: Any, as_user: Any, media: Any, run: Any
) -> None:
    head = ["序号", "姓名", "身份证号码", "社区名称", "居住地点", "帮扶责任人"]
    number = identity.make_resident_id("350502", dt.date(1950, 3, 4), 5, "F")

    def ledger_file(name: str) -> bytes:
        return ledgers.workbook("台账", head, [[[1, name, number, tree.a1.name, "西湖路1号", "王芳"]]])

    c = as_user(worker)
    job = upload(run, c, ledger_file("张三"))
    job.refresh_from_db()
    assert job.status == ImportStatus.MAPPING and job.header_row == 3, job.message
    page = c.get(reverse("people:import_job", args=[job.pk]), **ZH).content.decode()
    assert "说明这些列" in page
    mapping_url = reverse("people:import_mapping", args=[job.pk])
    form = c.get(mapping_url, **ZH).content.decode()
    assert "居住地点（E列）" in form and "帮扶责任人（F列）" in form
    # two columns for one field is refused
    r = run(c.post, mapping_url, {"col_4": "actual_address", "col_5": "actual_address", "col_1": "name"}, **ZH)
    assert r.status_code == 200 and "已作为" in r.content.decode()
    sent = {"col_0": "", "col_1": "name", "col_2": "resident_id", "col_3": "community", "col_4": "actual_address"}
    r = run(c.post, mapping_url, {**sent, "col_5": ""}, **ZH)
    assert r.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and job.good == 1, (job.message, job.errors)
    remembered = dict(ImportMapping.objects.filter(unit=tree.station_a).values_list("header", "key"))
    assert remembered == {"居住地点": "actual_address", "帮扶责任人": ""}
    assert confirm(run, c, job).status_code == 302
    assert Person.objects.get().actual_address == "西湖路1号"

    # the station's next ledger of this kind is read without asking, by a colleague too
    Person.objects.all().delete()
    job = upload(run, as_user(colleague), ledger_file("李四"))
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and job.good == 1
    # and the choice can be changed from the check's page
    page = as_user(colleague).get(reverse("people:import_job", args=[job.pk]), **ZH).content.decode()
    assert reverse("people:import_mapping", args=[job.pk]) in page
    sent["col_4"] = "registered_address"
    r = run(as_user(colleague).post, reverse("people:import_mapping", args=[job.pk]), {**sent, "col_5": ""}, **ZH)
    assert r.status_code == 302
    assert ImportMapping.objects.get(header="居住地点").key == "registered_address"
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    assert AuditEvent.objects.filter(action="import.mapping").count() == 2


def test_a_required_column_nobody_knows_is_asked_for(
    tree: Any, worker: Any, as_user: Any, media: Any, run: Any
) -> None:
    content = ledgers.workbook(
        "台账", ["名单", "身份证号码", "性别", "所属社区"], [[["张三", "1", "女", tree.a1.name]]]
    )
    job = upload(run, as_user(worker), content)
    job.refresh_from_db()
    assert job.status == ImportStatus.MAPPING, job.message
    assert "姓名" in job.message and "名单" in str(job.headers)


def test_cells_as_ledgers_write_them() -> None:
    reg = PeopleRegistry()
    col = {c.key: c for c in reg.columns}
    assert ledger.read_cell(col["resident_id"], 330106195003041234) == "330106195003041234"
    assert ledger.read_cell(col["resident_id"], 330106500304123.0) == "330106500304123"
    lost = ledger.read_cell(col["resident_id"], 3.30106195003041e17)
    assert isinstance(lost, ledger.Unreadable) and "15" in lost.message
    assert ledger.read_cell(col["resident_id"], " 33010619500304123x ") == "33010619500304123x"
    for value in ("1950.03", "1950年3月", "1950-3", 1950.03, 195003, "１９５０．０３"):
        assert ledger.read_cell(col["birth_date"], value) == ledger.YearMonth(1950, 3), value
    assert ledger.read_cell(col["birth_date"], 1950.1) == ledger.YearMonth(1950, 10)
    assert ledger.read_cell(col["birth_date"], dt.datetime(1950, 3, 4)) == dt.date(1950, 3, 4)
    assert isinstance(ledger.read_cell(col["birth_date"], "1950.13"), ledger.Unreadable)
    assert ledger.read_cell(col["phone"], 13800001111) == "13800001111"
    assert ledger.read_cell(col["phone"], 13800001111.0) == "13800001111"
    assert ledger.read_cell(col["notes"], "  ") is None


def test_it_reads_cells_as_openpyxl_gives_them() -> None:
    wb = Workbook()
    ws = wb.active
    ws["C2"], ws["D2"] = "姓名", "出生年月"  # a table that starts in column C, below a blank row
    ws["C3"], ws["D3"], ws["E3"] = "王秀英", 195003, 1950.03
    ws["C4"], ws["D4"], ws["E4"] = 3.30106195003041e17, dt.datetime(1950, 3, 4), ""
    ws.merge_cells("C5:D5")
    ws["C5"] = "制表人：李"
    buf = BytesIO()
    wb.save(buf)
    sheet = ledger.Sheet(BytesIO(buf.getvalue()))
    rows = list(sheet.rows())
    sheet.close()
    assert rows[0] == (1, (None,) * 5)
    assert rows[2] == (3, (None, None, "王秀英", 195003, 1950.03))
    assert rows[3][1][2] == 3.30106195003041e17 and rows[3][1][4] is None  # past 2**53 a float stays one
    assert identity.parse_date(rows[3][1][3]) == dt.date(1950, 3, 4)
    assert rows[4] == (5, (None, None, "制表人：李", "制表人：李", None))


def test_an_id_excel_shortened_and_a_birth_month_are_judged_on_their_row(
    tree: Any, worker: Any, as_user: Any, media: Any, run: Any
) -> None:
    number = identity.make_resident_id("350502", dt.date(1950, 3, 4), 5, "F")
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号码", "出生年月", "所属社区"])
    ws.append(["张三", float(number), None, tree.a1.name])  # as Excel stores an ID typed as a number
    ws.append(["李四", number, "1950.03", tree.a1.name])  # the month agrees with the ID
    ws.append(["王五", identity.make_resident_id("350502", dt.date(1950, 4, 4), 6, "M"), "1950.03", tree.a1.name])
    buf = BytesIO()
    wb.save(buf)
    job = upload(run, as_user(worker), buf.getvalue())
    job.refresh_from_db()
    assert job.good == 1 and [(r, col) for r, col, _m in job.errors] == [
        (2, "身份证号码（B列）"),
        (4, "出生年月（C列）"),
    ]
    assert "15" in job.errors[0][2] and "文本" in job.errors[0][2]


def test_a_header_row_is_needed(tree: Any, worker: Any, as_user: Any, media: Any, run: Any) -> None:
    content = ledgers.workbook("台账", ["甲", "乙"], [[["x", "y"]]])
    job = upload(run, as_user(worker), content)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "标题" in job.message and "姓名" in job.message


def test_only_the_uploader_downloads_the_refused_rows(
    tree: Any, worker: Any, colleague: Any, as_user: Any, media: Any, run: Any
) -> None:
    content, _blocks = ledgers.resident_ledger((tree.a1.name, tree.a2.name))
    job = upload(run, as_user(worker), content)
    job.refresh_from_db()
    assert job.refused and (media / job.refused).read_bytes()[:2] != b"PK"  # kept encrypted: it holds ID numbers
    for page in ("import_refused", "import_mapping"):
        assert as_user(colleague).get(reverse(f"people:{page}", args=[job.pk])).status_code == 404
    imports._sweep()
    assert ImportJob.objects.get(pk=job.pk).refused
