"""Browser journey: run a match for a station, read why, confirm, complete
the task with feedback, and see the volunteer's hours grow."""

from __future__ import annotations

from typing import Any

import pytest

from matching.tests.factories import need_for, volunteer_offer
from tests.browser import PHONE, login_as
from tests.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_it_matches_confirms_and_completes_on_a_phone(page: Any, tree: Any, worker: Any) -> None:
    offer = volunteer_offer(tree.a1, capacity=1, name="周六陪诊")
    need = need_for(tree.a1, card="red")
    login_as(page, "worker_a", PASSWORD)
    page.goto("/matching/runs/")
    page.select_option("select[name=unit]", str(tree.station_a.pk))
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    proposal = page.locator("#matching-proposals-results tbody tr").first
    assert "周六陪诊" in proposal.inner_text() and need.person.name in proposal.inner_text()
    proposal.locator("summary").click()
    why = proposal.locator(".why").inner_text()
    assert "志愿者技能与需求类别相符" in why and "红卡" in why and "米" in why
    proposal.locator("input[name=ids]").check()
    page.click("button[name=bulk][value=confirm]")
    page.wait_for_load_state("networkidle")
    assert "已派出 1 个任务" in page.content()
    page.click("#matching-proposals-results tbody tr a[href*='/tasks/']")
    page.wait_for_load_state("networkidle")
    assert page.locator(".hours-total").inner_text().strip() in ("0", "0.0")
    page.select_option("select[name=satisfaction]", "5")
    page.fill("input[name=hours]", "2.5")
    page.fill("textarea[name=feedback]", "老人很满意")
    page.click("form.form button.primary")
    page.wait_for_load_state("networkidle")
    assert "任务已完成" in page.content()
    assert page.locator(".hours-total").inner_text().strip() == "2.5"
    assert "老人很满意" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert str(offer.volunteer) in page.locator("main").inner_text()
