"""The first browser journey: a community worker on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import DESKTOP, PHONE, login_as
from tests.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_it_walks_a_community_worker_through_login_language_and_logout(page: Any, community_worker: Any) -> None:
    login_as(page, "cw_a1", PASSWORD)
    where = page.get_by_test_id("where")
    assert "甲一社区" in where.inner_text()
    assert "您所在的位置" in page.content()
    body = page.locator("main").inner_text()
    assert "甲二社区" not in body and "乙一社区" not in body and "乙街道社工站" not in body
    # Nothing spills sideways on a 375 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The menu opens from its button on a phone.
    assert not page.locator("#sidebar").is_visible()
    page.click("button.menu-toggle")
    assert page.locator("#sidebar").is_visible()
    page.click("button.menu-toggle")

    page.click("button[name=language][value=en]")
    page.wait_for_load_state("networkidle")
    assert "You are at" in page.get_by_test_id("where").inner_text()
    assert page.locator("html").get_attribute("lang") == "en"

    page.click("button[name=language][value=zh-hans]")
    page.wait_for_load_state("networkidle")
    assert "您所在的位置" in page.get_by_test_id("where").inner_text()

    page.get_by_test_id("logout").click()
    # the page first clears what the phone keeps (fieldwork/store.js), then logs out
    page.wait_for_url("**/account/login/**")
    page.goto("/")
    assert "/account/login/" in page.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [DESKTOP], indirect=True)
def test_it_runs_the_api_docs_under_the_csp(page: Any, db: Any) -> None:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto("/api/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=10_000)
    assert "Linli API" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() >= 4
    assert [e for e in errors if "Content Security Policy" in e or "Refused" in e] == []
