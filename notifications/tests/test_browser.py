"""Browser journey: a worker submits a case plan → the lead sees it in the
home inbox and the bell → approves → the worker is told. The worker on a
phone, the lead on a desktop; screenshots of the inbox and the bell at both
sizes are left in test-artifacts/."""

from __future__ import annotations

from typing import Any

import pytest

from casework.tests.factories import open_case
from tests.browser import ARTIFACTS, DESKTOP, PHONE, login_as
from tests.factories import PASSWORD


def _submitted(worker: Any, unit: Any) -> Any:
    from casework.services import case_goal_add, case_move, case_service_plan

    case = open_case(worker, unit=unit)
    case_move(actor=worker, case=case, action="assess")
    case_move(actor=worker, case=case, action="draft_plan")
    case_goal_add(actor=worker, case=case, text="一个月内恢复每周下楼散步")
    case_service_plan(actor=worker, case=case, description="每周上门陪同散步", frequency="每周")
    return case


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_it_takes_a_plan_from_the_inbox_to_the_workers_bell(
    page: Any, browser: Any, live_server: Any, tree: Any, worker: Any, lead: Any
) -> None:
    case = _submitted(worker, tree.a1)
    page.set_default_timeout(60_000)  # a shared machine: the journey is checked, not its speed
    login_as(page, "worker_a", PASSWORD)
    page.goto(f"/services/cases/{case.pk}/")
    with page.expect_navigation():
        page.get_by_test_id("move-submit_plan").locator("button[type=submit]").click()
    assert page.get_by_test_id("bell").locator(".bell-count").count() == 0

    lead_context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="zh-CN")
    lead_page = lead_context.new_page()
    lead_page.set_default_timeout(60_000)
    login_as(lead_page, "lead_a", PASSWORD)
    lead_page.goto("/")
    inbox = lead_page.get_by_test_id("todo")
    assert "服务计划待审批" in inbox.inner_text()
    assert lead_page.get_by_test_id("bell").locator(".bell-count").inner_text() == "1"
    ARTIFACTS.mkdir(exist_ok=True)
    lead_page.screenshot(path=str(ARTIFACTS / "notify-home-inbox-1280.png"))
    with lead_page.expect_navigation():
        inbox.get_by_role("link", name="服务计划待审批").click()
    assert "pending=plan" in lead_page.url
    with lead_page.expect_navigation():
        lead_page.get_by_role("link", name=case.number).click()
    with lead_page.expect_navigation():
        lead_page.get_by_test_id("move-approve_plan").locator("button[type=submit]").click()
    lead_page.goto("/")
    assert "服务计划待审批" not in lead_page.get_by_test_id("todo").inner_text()
    lead_context.close()

    page.goto("/")
    bell = page.get_by_test_id("bell")
    assert bell.locator(".bell-count").inner_text() == "1"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "notify-home-bell-375.png"))
    with page.expect_navigation():
        bell.click()
    item = page.get_by_role("link", name="我的服务计划已获批准", exact=False)
    assert item.count() == 1
    with page.expect_navigation():
        item.first.click()
    assert page.url.endswith(f"/services/cases/{case.pk}/")
    assert page.get_by_test_id("bell").locator(".bell-count").count() == 0
