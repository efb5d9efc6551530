"""Browser journey on a 375 px phone: a resident signs in with the SMS code,
asks for help, staff accept it as a need (desktop), a match meets it, and
the resident's tracking page shows it done. Then the portal's pages are
photographed at 320, 375 and 414 px, with large text and in English."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

import pytest

from matching import services
from matching.models import NeedType
from matching.tests.factories import volunteer_offer
from people.models import Person
from people.tests.factories import PersonFactory
from portal.models import HelpRequest
from portal.tests.conftest import last_code
from tests.browser import ARTIFACTS, DESKTOP, PHONE, login_as
from tests.factories import PASSWORD

WIDTHS = (320, 375, 414)


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"portal-{name}.png"), full_page=True)


def _no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_a_resident_asks_for_help_and_sees_it_done(
    page: Any, browser: Any, live_server: Any, tree: Any, lead: Any
) -> None:
    page.set_default_timeout(60_000)  # the first pages of a cold live server on a busy machine
    tree.station_a.phone = "0595-22330001"
    tree.station_a.address = "东街路1号"
    tree.station_a.save()
    person = cast(
        Person, PersonFactory(unit=tree.a1, name="陈秀英", latitude=Decimal("24.48"), longitude=Decimal("118.09"))
    )
    offer = volunteer_offer(tree.a1, capacity=1)

    page.goto("/portal/login/")
    page.fill("input[name=phone]", "13800138000")
    page.click("button[type=submit]")
    page.fill("input[name=code]", last_code())
    page.click("button[type=submit]")
    page.fill("input[name=name]", "陈秀英")
    page.select_option("select[name=community]", str(tree.a1.pk))
    page.check("input[name=accept_privacy]")
    page.click("button[type=submit]")
    assert tree.station_a.name in page.get_by_test_id("station").inner_text()
    assert "0595-22330001" in page.get_by_test_id("station").inner_text()
    page.click("a[data-entry=help]")
    page.select_option("select[name=need_type]", str(NeedType.objects.get(code="escort").pk))
    page.fill("textarea[name=description]", "下周二去医院复查，需要人陪同")
    _no_sideways_scroll(page)
    _shot(page, "help-375")
    page.click("button[type=submit]")
    tracking = page.get_by_test_id("tracking").inner_text().strip()
    row = HelpRequest.objects.get(tracking=tracking)
    assert page.locator("li[data-state=now]").first.inner_text() == "工作站已受理"

    staff = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="zh-CN").new_page()
    staff.set_default_timeout(60_000)
    login_as(staff, lead.username, PASSWORD)
    staff.goto("/intake/")
    staff.click(f"text={tracking}")
    staff.select_option("select[name=person]", str(person.pk))
    staff.click("form[action$='/accept/'] button[type=submit]")
    staff.wait_for_load_state("networkidle")
    row.refresh_from_db()
    assert row.need is not None, staff.content()[:2000]
    staff.context.close()

    run = services.match_run_start(actor=lead, unit=tree.station_a)
    proposals = [p for p in run.proposals.all() if p.need_id == row.need_id]
    assert proposals and proposals[0].resource_id == offer.pk
    [task] = services.proposal_confirm(actor=lead, proposals=proposals)
    services.task_complete(actor=lead, task=task, satisfaction=5, hours=Decimal("2"))

    page.goto(f"/portal/track/{tracking}/")
    steps = page.locator("ol[data-testid=steps] li")
    assert steps.last.inner_text().startswith("已完成") and steps.last.get_attribute("data-state") == "done"
    _shot(page, "track-done-375")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_the_portal_fits_small_phones_with_large_text_and_in_english(page: Any, tree: Any) -> None:
    from core.roles import Level

    page.set_default_timeout(60_000)
    district = tree.district
    assert district.level == Level.DISTRICT
    district.phone = "0595-22000000"
    district.save()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto("/portal/")
        assert "0595-22000000" in page.get_by_test_id("station").inner_text()
        assert page.locator("nav.sidebar").count() == 0, "no staff menu on the portal"
        _no_sideways_scroll(page)
        _shot(page, f"home-{width}")
        page.goto("/portal/login/")
        _no_sideways_scroll(page)
        _shot(page, f"login-{width}")
    page.set_viewport_size(PHONE)
    page.goto("/portal/")
    size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_test_id("text-size").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") > size
    _no_sideways_scroll(page)
    _shot(page, "home-large-375")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state("networkidle")
    assert "Ask for help" in page.content()
    _shot(page, "home-english-375")
