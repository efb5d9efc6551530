"""Browser journey on a phone: a social worker opens their follow-ups, logs
a home visit for an overdue red-card person from the list row, and sees the
person drop off the overdue list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from grading.models import Card, Visit
from grading.tests.factories import graded
from tests.browser import PHONE, login_as
from tests.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_it_logs_a_home_visit_from_the_list_on_a_phone(page: Any, tree: Any, worker: Any) -> None:
    today = dt.date.today()
    red = graded(tree.a1, Card.RED, next_due=today - dt.timedelta(days=4), name="陈红梅", category="tekun")
    graded(tree.a2, Card.BLUE, next_due=today + dt.timedelta(days=10), name="李蓝天")
    login_as(page, "worker_a", PASSWORD)
    page.goto("/grading/followups/")
    rows = page.locator("[data-testid=followups] > li")
    assert "陈红梅" in rows.first.inner_text()  # overdue and red: first
    assert page.get_by_test_id("count-overdue").inner_text() == "1"
    row = page.get_by_test_id(f"row-{red.pk}")
    assert row.get_by_test_id("overdue").is_visible()
    page.get_by_test_id(f"log-{red.pk}").click()
    form = page.get_by_test_id("visit-form")
    form.wait_for()
    assert form.locator("select[name=mode]").input_value() == "home"
    assert form.locator("input[name=visited_on]").input_value() == today.isoformat()
    form.locator("textarea[name=findings]").fill("老人精神不错，家中整洁")
    form.locator("button[type=submit]").click()
    page.locator(f"#row-{red.pk} .fu-logged").wait_for()
    assert page.get_by_test_id(f"row-{red.pk}").get_by_test_id("overdue").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto("/grading/followups/?show=overdue")
    assert "陈红梅" not in page.locator("main").inner_text()
    assert page.get_by_test_id("count-overdue").inner_text() == "0"
    assert Visit.objects.get(person=red).findings == "老人精神不错，家中整洁"
