"""Browser journey: a social worker uploads a roster with three bad rows,
reads the check's problems, uploads the fixed file, confirms the import, then
finds a person by the initials of their name."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from core import identity
from people.models import Person
from tests.browser import PHONE, login_as
from tests.factories import PASSWORD

HEAD = ["姓名", "身份证号", "性别", "出生日期", "社区", "联系电话", "类别"]


def _roster(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_it_imports_a_roster_after_fixing_three_bad_rows(page: Any, worker: Any, tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    good = [identity.make_resident_id("350502", dt.date(1940 + i, 3, 1), i, "F") for i in range(4)]
    bad_id = good[1][:-1] + ("0" if good[1][-1] != "0" else "1")
    rows = [
        ["欧阳修", good[0], "女", None, "甲一社区", "13800001111", "独居老人"],
        ["李清照", bad_id, None, None, "甲一社区", None, "低保"],
        ["苏轼", None, "男", "2099/1/1", "甲二社区", None, None],
        ["王安石", good[3], None, None, "火星社区", None, None],
        ["辛弃疾", good[2], None, None, "甲二社区", "０５９５-２２３４５６７８", None],
    ]
    login_as(page, "worker_a", PASSWORD)
    page.goto("/people/import/")
    page.set_input_files("input[name=file]", str(_roster(tmp_path / "roster.xlsx", rows)))
    page.click("form.form button[type=submit]")
    errors = page.get_by_test_id("import-errors")
    errors.wait_for()  # the check ran in the background; the job's page shows it
    table = errors.inner_text()
    assert "校验码错误" in table and "晚于今天" in table and "火星社区" in table
    assert "共校验 5 行；2 行可以导入，3 行有问题" in page.get_by_test_id("import-counts").inner_text()
    assert Person.objects.count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    rows[1][1] = good[1]
    rows[2][3] = "1950年2月3日"
    rows[3][4] = "甲一社区"
    page.click("text=改为上传修改后的文件")
    page.set_input_files("input[name=file]", str(_roster(tmp_path / "roster-fixed.xlsx", rows)))
    page.click("form.form button[type=submit]")
    page.get_by_test_id("import-commit").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("已导入 5 行")
    assert Person.objects.count() == 5

    page.click("text=返回列表")
    # The list's own scripts bind the search box when the page has loaded;
    # typing before then sends nothing.
    page.wait_for_load_state("load")
    with page.expect_response(lambda r: "q=oyx" in r.url):
        page.fill("#people-persons-q", "oyx")
    expect(page.locator("#people-persons-results")).not_to_contain_text("李清照")
    expect(page.locator("#people-persons-results")).to_contain_text("欧阳修")
    assert "q=oyx" in page.url
    results = page.locator("#people-persons-results").inner_text()
    assert "欧阳修" in results and "李清照" not in results
    page.click("#people-persons-results >> text=欧阳修")
    page.wait_for_load_state("networkidle")
    assert "3505**********" + good[0][-4:] in page.content() and good[0] not in page.content()
