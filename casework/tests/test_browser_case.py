"""Browser journey: a social worker opens a case and submits a plan, the
station lead approves it, the worker logs an intervention and asks to close,
the lead approves the closure. Worker on a phone, lead on a desktop."""

from __future__ import annotations

from typing import Any, cast

import pytest

from casework.models import Case, Stage
from people.models import Person
from people.tests.factories import PersonFactory
from tests.browser import DESKTOP, PHONE, login_as
from tests.factories import PASSWORD


def _move(page: Any, name: str, comment: str = "") -> None:
    form = page.get_by_test_id(f"move-{name}")
    if comment:
        form.locator("textarea").fill(comment)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _fill_form(page: Any, values: dict[str, str]) -> None:
    for field, value in values.items():
        page.fill(f"#id_{field}", value)
    with page.expect_navigation():
        page.click("form.form button.primary[type=submit]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_it_takes_a_case_from_intake_to_closure(
    page: Any, browser: Any, live_server: Any, tree: Any, worker: Any, lead: Any
) -> None:
    person = cast(Person, PersonFactory(unit=tree.a1, name="郑阿婆"))
    login_as(page, "worker_a", PASSWORD)

    page.goto(f"/services/cases/new/?person={person.pk}")
    page.select_option("#id_domain", label="养老")
    _fill_form(page, {"title": "独居老人跌倒后不敢出门"})
    assert page.get_by_test_id("stage").inner_text() == "接案"
    case = Case.objects.get(person=person)
    case_url = f"/services/cases/{case.pk}/"

    _move(page, "assess")
    _move(page, "draft_plan")
    page.goto(f"{case_url}goals/new/")
    _fill_form(page, {"text": "一个月内恢复每周下楼散步"})
    page.goto(f"{case_url}services/plan/")
    _fill_form(page, {"description": "每周上门陪同散步", "frequency": "每周"})
    _move(page, "submit_plan")
    assert page.get_by_test_id("pending").inner_text() == "服务计划待审批"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    lead_context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="zh-CN")
    lead_page = lead_context.new_page()
    lead_page.set_default_timeout(10_000)
    login_as(lead_page, "lead_a", PASSWORD)
    lead_page.goto(case_url)
    _move(lead_page, "approve_plan", "计划可行，同意。")
    assert lead_page.get_by_test_id("stage").inner_text() == "介入"

    page.goto(case_url)
    with page.expect_navigation():
        page.get_by_role("link", name="登记介入服务").click()
    _fill_form(page, {"description": "陪同下楼散步二十分钟", "minutes": "45"})
    assert "陪同下楼散步二十分钟" in page.get_by_test_id("delivered").inner_text()
    _move(page, "evaluate")
    _move(page, "request_closure", "目标达成，案主同意结案。")

    lead_page.goto(case_url)
    _move(lead_page, "approve_closure", "同意结案。")
    assert lead_page.get_by_test_id("stage").inner_text() == "结案"
    lead_context.close()

    case.refresh_from_db()
    assert case.stage == Stage.CLOSED and case.closed_on is not None
    assert list(case.transitions.values_list("action", flat=True)) == [
        "open",
        "assess",
        "draft_plan",
        "submit_plan",
        "approve_plan",
        "evaluate",
        "request_closure",
        "approve_closure",
    ]
