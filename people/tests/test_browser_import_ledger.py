"""Browser journey, on a phone and a desk: a social worker uploads the
station's own 40-row ledger (title rows, merged cells, its own headers, one
the import does not know), says what that column holds, reads the check's
two refused rows, imports the 38 valid ones and downloads the refused ones
with their reasons. Each step leaves a screenshot in test-artifacts/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from people.models import Person
from tests import ledgers
from tests.browser import ARTIFACTS, DESKTOP, PHONE, login_as
from tests.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [PHONE, DESKTOP], indirect=True, ids=["phone", "desktop"])
def test_it_imports_a_stations_own_ledger(page: Any, worker: Any, tree: Any, tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    width = page.viewport_size["width"]
    blocks = ledgers.resident_rows((tree.a1.name, tree.a2.name))
    for block in blocks:
        for row in block:
            row.append("王芳")
    content = ledgers.workbook(
        "西湖路街道2026年困难群众台账", [*ledgers.RESIDENT_HEAD, "帮扶责任人"], blocks, merge_col=5
    )
    source = tmp_path / "困难群众台账.xlsx"
    source.write_bytes(content)
    ARTIFACTS.mkdir(exist_ok=True)

    def shot(step: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"import-ledger-{width}-{step}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{step} is wider than the screen"

    login_as(page, "worker_a", PASSWORD)
    page.goto("/people/")
    page.click("text=从 Excel 导入")
    page.set_input_files("input[name=file]", str(source))
    page.click("form.form button[type=submit]")
    page.get_by_test_id("import-mapping").wait_for()  # one header nobody knows: the worker is asked
    shot("1-asked")
    page.get_by_test_id("import-map").click()
    column = page.get_by_label("帮扶责任人（K列）")
    expect(column).to_have_value("")
    expect(page.get_by_label("身份证号码（D列）")).to_have_value("resident_id")
    shot("2-mapping")
    page.click("form.form button[type=submit]")

    errors = page.get_by_test_id("import-errors")
    errors.wait_for()
    assert "共校验 40 行；38 行可以导入，2 行有问题" in page.get_by_test_id("import-counts").inner_text()
    table = errors.inner_text()
    assert "身份证号码（D列）" in table and "丙三社区" in table
    shot("3-checked")
    page.get_by_test_id("import-commit").click()  # all or nothing: refused
    expect(page.locator(".errors")).to_contain_text("什么也不导入")
    assert Person.objects.count() == 0
    page.get_by_label("仅导入有效行").check()
    page.get_by_test_id("import-commit").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("已导入 38 行")
    expect(page.get_by_test_id("import-done")).to_contain_text("2 行被拒绝")
    shot("4-done")
    assert Person.objects.count() == 38

    with page.expect_download() as download:
        page.get_by_test_id("import-refused").click()
    saved = tmp_path / "refused.xlsx"
    download.value.save_as(saved)
    rows = ledgers.sheet_rows(saved.read_bytes())
    assert rows[0][-2:] == ["帮扶责任人", "错误原因"] and len(rows) == 3
    assert download.value.suggested_filename.endswith("-refused.xlsx")
