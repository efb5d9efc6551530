"""Guard for field work: the session times out while a social worker types a
visit on a phone. Submitting sends them to the login page (not into the list
row), logging in brings them back with the draft restored, and saving it logs
exactly one visit. Also: typing and "继续使用" keep the session alive, and
logging out leaves no draft in the browser. Real waiting on short timeouts."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest

from grading.models import Card, Visit
from grading.tests.factories import graded
from tests.browser import DESKTOP, PHONE, login_as
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FINDINGS = "老人腿脚不便，家中整洁，需要送餐服务"
DRAFT_KEYS = "Object.keys(localStorage).filter((k) => k.startsWith('linli-draft:'))"


def _idle_timeout(settings: Any, seconds: int) -> None:
    settings.SESSION_COOKIE_AGE = seconds
    settings.SESSION_IDLE_MINUTES = max(1, seconds // 60)


def _open_visit_form(page: Any, person: Any) -> Any:
    page.goto("/grading/followups/")
    page.get_by_test_id(f"log-{person.pk}").click()
    form = page.get_by_test_id("visit-form")
    form.wait_for()
    return form


@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_it_keeps_a_visit_typed_past_the_timeout(page: Any, tree: Any, worker: Any, settings: Any) -> None:
    _idle_timeout(settings, 60)
    red = graded(tree.a1, Card.RED, next_due=dt.date.today() - dt.timedelta(days=4), name="陈红梅")
    login_as(page, "worker_a", PASSWORD)
    form = _open_visit_form(page, red)
    form.locator("textarea[name=findings]").fill(FINDINGS)
    assert len(page.evaluate(DRAFT_KEYS)) == 1

    warning = page.get_by_test_id("session-warning")
    warning.wait_for(timeout=70_000)  # 15 s before the end
    assert warning.get_by_test_id("session-continue").is_visible()
    warning.locator("[data-role=ended]").wait_for(timeout=30_000)
    time.sleep(2)  # the page's deadline is a lower bound of the server's
    form.locator("button[type=submit]").click()

    page.wait_for_url("**/account/login/?next=/grading/followups/")
    assert page.locator(f"#row-{red.pk}").count() == 0  # a page of its own, not a row
    assert "无操作" in page.locator(".messages").inner_text()
    assert not Visit.objects.exists()
    page.fill("input[name=username]", "worker_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")

    page.wait_for_url("**/grading/followups/")
    notice = page.get_by_test_id("draft-restored")
    notice.wait_for()
    assert "已恢复未提交的草稿" in notice.inner_text()
    form = page.get_by_test_id("visit-form")
    assert form.locator("textarea[name=findings]").input_value() == FINDINGS
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    form.locator("button[type=submit]").click()
    page.locator(f"#row-{red.pk} .fu-logged").wait_for()

    assert Visit.objects.filter(person=red).count() == 1
    assert Visit.objects.get(person=red).findings == FINDINGS
    for _ in range(20):  # the draft goes once the row replaced the form (CSP: no wait_for_function)
        if not page.evaluate(DRAFT_KEYS):
            break
        page.wait_for_timeout(100)
    assert page.evaluate(DRAFT_KEYS) == []
    page.reload()
    assert page.get_by_test_id("visit-form").count() == 0  # nothing left to reopen


@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_it_keeps_the_session_alive_while_typing_and_on_continue(
    page: Any, tree: Any, worker: Any, settings: Any
) -> None:
    _idle_timeout(settings, 20)  # renewals every 5 s, the warning 5 s before the end
    red = graded(tree.a1, Card.RED, name="陈红梅")
    login_as(page, "worker_a", PASSWORD)
    started = time.monotonic()
    textarea = _open_visit_form(page, red).locator("textarea[name=findings]")
    for word in ("老人", "精神", "不错"):  # typing every 6 s renews the session
        time.sleep(6)
        textarea.press_sequentially(word)
    time.sleep(max(0, 23 - (time.monotonic() - started)))
    page.goto("/grading/followups/")  # 23 s after login: still logged in
    assert "/account/login/" not in page.url

    warning = page.get_by_test_id("session-warning")
    warning.wait_for(timeout=25_000)
    warning.get_by_test_id("session-continue").click()
    warning.wait_for(state="hidden")
    time.sleep(8)  # past the end the warning announced
    page.goto("/grading/followups/")
    assert "/account/login/" not in page.url


@pytest.mark.parametrize("page", [DESKTOP], indirect=True)
def test_it_leaves_no_draft_in_the_browser_after_logout(page: Any, tree: Any, worker: Any) -> None:
    red = graded(tree.a1, Card.RED, name="陈红梅")
    login_as(page, "worker_a", PASSWORD)
    _open_visit_form(page, red).locator("textarea[name=findings]").fill(FINDINGS)
    page.goto("/matching/needs/new/")
    page.locator("textarea[name=description]").fill("需要轮椅一台")
    assert len(page.evaluate(DRAFT_KEYS)) == 2
    page.goto("/matching/needs/new/")  # shown again: restored, with a way to discard it
    page.get_by_test_id("draft-restored").wait_for()
    assert page.locator("textarea[name=description]").input_value() == "需要轮椅一台"
    page.get_by_test_id("logout").click()
    page.wait_for_url("**/account/login/")
    assert page.evaluate(DRAFT_KEYS) == []
    login_as(page, "worker_a", PASSWORD)
    page.goto("/matching/needs/new/")
    assert page.get_by_test_id("draft-restored").count() == 0
    assert page.locator("textarea[name=description]").input_value() == ""
