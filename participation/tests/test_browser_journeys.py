"""Browser journeys on a 375 px phone: a volunteer registers, staff approve
(desktop, a second browser context), the volunteer signs up for an activity,
signs in by its QR link, reports hours, staff confirm them and issue the
certificate, which shows the hours; two donors claim one wish at the same
moment and exactly one gets it. Screenshots in test-artifacts/."""

from __future__ import annotations

import datetime as dt
import subprocess
from typing import Any

import pytest
from django.utils import timezone

from casework.signin import signin_token
from matching.models import Wish, WishStatus
from participation.models import WishClaim
from participation.tests.conftest import make_account, publish_wish
from portal.tests.conftest import last_code
from tests.browser import ARTIFACTS, DESKTOP, PHONE, login_as
from tests.factories import PASSWORD
from volunteering.models import ServiceRecord


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"participation-{name}.png"), full_page=True)


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


# The machine the suite runs on may be loaded: wait longer than the default for a page.
PATIENCE_MS = 60_000


def _portal_sign_in(page: Any, phone: str, name: str, community: Any) -> None:
    page.set_default_timeout(PATIENCE_MS)
    page.goto("/portal/login/")
    page.fill("input[name=phone]", phone)
    page.click("button[type=submit]")
    page.fill("input[name=code]", last_code(phone))
    page.click("button[type=submit]")
    page.fill("input[name=name]", name)
    page.select_option("select[name=community]", str(community.pk))
    page.check("input[name=accept_privacy]")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def _staff_accepts(staff: Any, queue: str, text: str, hours: str = "") -> None:
    staff.goto(f"/participation/{queue}/")
    staff.click(f"text={text}")
    if hours:
        staff.fill("input[name=accept-hours]", hours)
    staff.check("form[action$='/accept/'] input[name=accept-checked]")
    staff.click("form[action$='/accept/'] button[type=submit]")
    staff.wait_for_load_state("networkidle")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_a_volunteer_registers_serves_and_gets_the_certificate(
    page: Any, browser: Any, live_server: Any, tree: Any, lead: Any, worker: Any
) -> None:
    from casework.services import activity_create
    from casework.tests.factories import domain

    tree.station_a.phone = "0595-22330001"
    tree.station_a.address = "东街路1号"
    tree.station_a.save()
    now = timezone.now()
    activity = activity_create(
        actor=worker,
        unit=tree.station_a,
        title="重阳敬老活动",
        domain=domain(),
        venue="社区活动中心",
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(minutes=90),
        organiser="甲街道社工站",
    )

    _portal_sign_in(page, "13800001111", "林小红", tree.a1)
    page.click("a[data-entry=volunteer]")
    assert "0595-22330001" in page.get_by_test_id("station").inner_text()
    page.get_by_test_id("register").click()
    page.fill("input[name=birth_date]", "1990-05-01")
    page.select_option("select[name=sex]", "F")
    page.check("input[name=availability][value='sat:am']")
    page.check("input[name=consent]")
    _fits(page)
    _shot(page, "register-375")
    page.click("form.stack button[type=submit]")
    page.get_by_test_id("application-pending").wait_for()

    staff = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="zh-CN").new_page()
    staff.set_default_timeout(PATIENCE_MS)
    login_as(staff, lead.username, PASSWORD)
    _staff_accepts(staff, "applications", "林小红")
    _shot(staff, "staff-application-accepted")

    page.goto("/portal/volunteer/activities/")
    page.click(f"li[data-activity='{activity.pk}'] button[type=submit]")
    assert "已报名" in page.content()
    _fits(page)
    _shot(page, "activities-375")
    page.goto(f"/public/signin/?t={signin_token(activity)}")
    page.get_by_test_id("signin-portal").click()
    page.click("form.stack button[type=submit]")
    page.get_by_test_id("signed-in").wait_for()
    _shot(page, "signed-in-375")
    page.click("text=申报服务时长")
    page.fill("input[name=hours]", "2.5")
    page.click("form.stack button[type=submit]")
    page.get_by_test_id("records").wait_for()
    assert "待确认" in page.get_by_test_id("records").inner_text()
    assert page.get_by_test_id("standing").inner_text().count("0") >= 1

    _staff_accepts(staff, "hours", "林小红")
    record = ServiceRecord.objects.get()
    assert not record.pending and record.hours == 2.5

    page.goto("/portal/volunteer/records/")
    assert "2.5" in page.get_by_test_id("standing").inner_text()
    page.get_by_test_id("ask-certificate").click()
    page.wait_for_load_state("networkidle")
    _staff_accepts(staff, "requests", "林小红")
    staff.context.close()

    page.goto("/portal/volunteer/records/")
    _fits(page)
    _shot(page, "records-375")
    link = page.get_by_test_id("certificates").locator("a").first
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = ARTIFACTS / "participation-certificate.pdf"
    pdf.write_bytes(response.body())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "林小红" in text and "2.5" in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(ARTIFACTS / "participation-certificate")],
        check=True,
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_two_donors_claim_one_wish_at_once_and_one_gets_it(
    page: Any, browser: Any, live_server: Any, tree: Any, worker: Any
) -> None:
    wish = publish_wish(worker, tree.a1)
    make_account(tree.station_a, "13800002222", "刘先生")
    make_account(tree.station_a, "13800003333", "周女士")
    other = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="zh-CN").new_page()
    _portal_sign_in(page, "13800002222", "刘先生", tree.a1)
    _portal_sign_in(other, "13800003333", "周女士", tree.a1)
    for p in (page, other):
        p.goto("/portal/wishes/")
        assert "张*" in p.content() and "张秀英" not in p.content()
    _fits(page)
    _shot(page, "wishes-375")
    button = f"li[data-wish='{wish.pk}'] button[type=submit]"
    page.click(button, no_wait_after=True)
    other.click(button, no_wait_after=True)
    # Each page has its answer (the giving page, or the refusal) before the test reads the database.
    for p in (page, other):
        p.get_by_test_id("claims").or_(p.get_by_text("已被其他爱心人士认领")).first.wait_for()
    pages = {"刘先生": page, "周女士": other}
    claim = WishClaim.objects.get()
    winner = claim.account.name
    loser = next(p for name, p in pages.items() if name != winner)
    loser.wait_for_selector("text=已被其他爱心人士认领")
    _shot(loser, "claim-refused-375")
    assert Wish.objects.get(pk=wish.pk).status == WishStatus.CLAIMED
    pages[winner].goto("/portal/giving/")
    assert wish.title in pages[winner].get_by_test_id("claims").inner_text()
    _shot(pages[winner], "giving-375")
    other.context.close()
