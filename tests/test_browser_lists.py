"""The list toolkit in a browser: htmx swaps keep the address bar in sync,
the search box is filled from it, and on a phone rows are labelled cards."""

from __future__ import annotations

import re
from typing import Any, cast

import pytest
from playwright.sync_api import expect

from partners.tests.factories import EnterpriseFactory
from tests.browser import DESKTOP, PHONE, login_as
from tests.factories import PASSWORD

URL = "/partners/enterprises/"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [DESKTOP], indirect=True)
def test_it_searches_and_sorts_without_reloading_and_keeps_the_address(page: Any, tree: Any, worker: Any) -> None:
    for name in ("甲企业", "乙企业", "丙商店"):
        EnterpriseFactory(unit=tree.a1, name=name)
    login_as(page, "worker_a", PASSWORD)
    page.goto(URL)
    page.evaluate("window.marker = 1")  # survives only if the page is never reloaded
    page.fill("#partners-enterprises-q", "企业")
    expect(page.locator(".list-count")).to_contain_text("2")
    assert "q=%E4%BC%81%E4%B8%9A" in page.url
    page.click("th a.sort >> text=名称")  # name is sorted ascending: this sorts descending
    expect(page).to_have_url(re.compile(r"sort=-name"))
    expect(page.locator("th[aria-sort=descending]")).to_have_count(1)
    names = page.locator("td[data-label='名称'] a").all_inner_texts()
    assert names == sorted(["甲企业", "乙企业"], reverse=True)
    assert page.evaluate("window.marker") == 1
    assert page.input_value("#partners-enterprises-sort") == "-name"
    page.reload()
    assert page.input_value("#partners-enterprises-q") == "企业"  # from the address, not the server


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_it_shows_rows_as_labelled_cards_on_a_phone(page: Any, tree: Any, worker: Any) -> None:
    EnterpriseFactory(unit=tree.a1, name="甲企业", contact_person="王经理")
    login_as(page, "worker_a", PASSWORD)
    page.goto(URL)
    row = page.locator("tbody tr").first
    assert row.evaluate("el => getComputedStyle(el).display") == "block"
    cell = page.locator("td[data-label='联系人']")
    assert cell.evaluate("el => getComputedStyle(el, '::before').content") == '"联系人"'
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [DESKTOP], indirect=True)
def test_it_posts_a_searched_id_number_and_never_puts_it_in_an_address(page: Any, tree: Any, worker: Any) -> None:
    import datetime as dt

    from core import identity
    from people.models import Person
    from people.tests.factories import PersonFactory

    number = identity.make_resident_id("350502", dt.date(1950, 3, 4), 12, "F")
    person = cast(Person, PersonFactory(unit=tree.a1, name="林秀英"))
    identity.store_id(person, number)
    person.save()
    PersonFactory(unit=tree.a1, name="陈美玲")
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url))
    login_as(page, "worker_a", PASSWORD)
    page.goto("/people/")
    page.fill("#people-persons-q", number)
    expect(page.locator(".list-count")).to_contain_text("1")
    expect(page.locator("tbody")).to_contain_text("林秀英")
    page.click("th a.sort >> text=姓名")
    expect(page.locator("th[aria-sort]")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("林秀英")
    assert not [url for url in sent if number[:5] in url], sent
    assert number[:5] not in page.url
