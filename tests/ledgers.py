"""Ledgers as stations keep them, for the import tests (core/ledger.py): a
title row merged across the columns, a unit and date line, the station's
own headers, blank rows between blocks, a community merged over a block,
IDs and phones typed as numbers, 出生年月 written four ways, a footer."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook

from core import identity

RESIDENT_HEAD = [
    "序号",
    "姓名",
    "性别",
    "身份证号码",
    "出生年月",
    "所属社区",
    "家庭住址",
    "人员类别",
    "联系电话",
    "备注",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "秀英桂兰玉珍凤英淑珍金花建国志强国华春梅"


def workbook(title: str, head: list[str], blocks: list[list[list[Any]]], merge_col: int | None = None) -> bytes:
    """Rows under a merged title and a unit/date line, `blocks` separated by a
    blank row; in the first block the cells of column `merge_col` (0-based)
    are merged into one holding the first row's value."""
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    width = len(head)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    if width > 4:
        ws.append(["填报单位：西湖路街道社工站", *([None] * (width - 4)), "填报日期：2026年11月20日"])
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width - 3)
    else:
        ws.append(["填报单位：西湖路街道社工站　填报日期：2026年11月20日"])
    ws.append(head)
    for b, block in enumerate(blocks):
        first = ws.max_row + 1
        for row in block:
            ws.append(row)
        if b == 0 and merge_col is not None and len(block) > 1:
            for r in range(first + 1, first + len(block)):
                ws.cell(row=r, column=merge_col + 1).value = None
            ws.merge_cells(
                start_row=first, start_column=merge_col + 1, end_row=first + len(block) - 1, end_column=merge_col + 1
            )
        ws.append([])  # the blank row after each block
    ws.append(["制表人：王芳", None, None, None, "审核人：李明"])
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


def resident_rows(communities: tuple[str, str]) -> list[list[list[Any]]]:
    """40 residents in two blocks of 20, one per community. Returns the blocks;
    row 11 of the sheet (block 1) has an ID with a wrong check digit and row
    30 (block 2) a community outside the station."""
    blocks: list[list[list[Any]]] = [[], []]
    for i in range(40):
        born = dt.date(1935 + i % 30, 1 + i % 12, 1 + i % 27)
        sex = "M" if i % 2 else "F"
        number: Any = identity.make_resident_id("330106", born, 100 + i, sex)
        if i % 5 == 1:  # an old 15-digit ID typed as a number: Excel keeps all its digits
            number = int(f"330106{born:%y%m%d}{(100 + i) * 2 + (1 if sex == 'M' else 0):03d}")
        month: Any = [f"{born.year}.{born.month:02d}", f"{born.year}年{born.month}月", born, None][i % 4]
        if i % 8 == 4:
            month = born.year + born.month / 100  # 出生年月 typed as the number 1950.03
        phone: Any = 13800000000 + i if i % 3 == 0 else f"139 0000 {i:04d}"
        block = blocks[i // 20]
        block.append(
            [
                i % 20 + 1,
                SURNAMES[i % 20] + GIVEN[(i + i // 20) % 16] + ("" if i % 3 else GIVEN[(i + 5) % 16]),
                "男" if sex == "M" else "女",
                number,
                month,
                communities[i // 20],
                f"西湖路{i + 1}号",
                ["低保", "独居老人", "低保、独居老人", None][i % 4],
                phone,
                None if i % 7 else "需定期探访",
            ]
        )
    bad_id = str(blocks[0][7][3])  # sheet row 11: header on row 3, data from row 4
    blocks[0][7][3] = bad_id[:-1] + ("1" if bad_id[-1] != "1" else "2")
    blocks[1][5][5] = "丙三社区"  # sheet row 30: block 2 starts on row 25 (a blank row between)
    return blocks


def resident_ledger(communities: tuple[str, str]) -> tuple[bytes, list[list[list[Any]]]]:
    blocks = resident_rows(communities)
    return workbook("西湖路街道2026年困难群众台账", RESIDENT_HEAD, blocks, merge_col=5), blocks


def sheet_rows(content: bytes) -> list[list[Any]]:
    ws = load_workbook(BytesIO(content)).worksheets[0]
    return [list(r) for r in ws.iter_rows(values_only=True)]


def rewrite(content: bytes, fix: dict[tuple[int, str], Any]) -> bytes:
    """The workbook with cells changed: {(row number, header): value}; the reason column dropped."""
    wb = load_workbook(BytesIO(content))
    ws = wb.worksheets[0]
    head = [c.value for c in ws[1]]
    for (row, header), value in fix.items():
        ws.cell(row=row, column=head.index(header) + 1).value = value
    ws.delete_cols(head.index("错误原因") + 1)
    buf = BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- the import's pages, as a user goes through them

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def page_url(registry: str, page: str, *args: Any) -> str:
    from django.urls import reverse

    from core import excel

    return reverse(excel.registry(registry).url_name(page), args=args)


def upload(run: Any, client: Any, content: bytes, registry: str, name: str = "台账.xlsx") -> Any:
    """Upload a file to the registry's import, the check run; the job, fresh from the database."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.models import ImportJob

    r = run(client.post, page_url(registry, "import_upload"), {"file": SimpleUploadedFile(name, content)}, **ZH)
    assert r.status_code == 302, r.content.decode()[:800]
    return ImportJob.objects.latest("pk")


def confirm(run: Any, client: Any, job: Any, **data: Any) -> Any:
    import re

    url = page_url(job.registry, "import_job", job.pk)
    found = re.search(r'name="_once" value="([^"]+)"', client.get(url, **ZH).content.decode())
    assert found, "the check's page offers the confirmation"
    return run(client.post, url, {"_once": found[1], **data}, **ZH)


def refused(client: Any, job: Any) -> bytes:
    r = client.get(page_url(job.registry, "import_refused", job.pk))
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    return bytes(r.content)
