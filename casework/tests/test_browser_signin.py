"""Browser journey: staff open an activity and read its QR code's address; a
phone (375 px, no login) opens it and signs in a resident, an unknown number
and a volunteer, the volunteer while the phone is offline (queued as 待发送,
sent when back online); staff then see the attendance, the head count and the
pending service record."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from django.utils import timezone

from casework.models import Activity, ActivitySignIn, ActivitySignup
from casework.services import activity_create
from casework.tests.factories import domain
from people.models import Person
from people.tests.factories import PersonFactory
from tests.browser import ARTIFACTS, DESKTOP, PHONE, login_as
from tests.factories import PASSWORD
from volunteering.models import ServiceRecord
from volunteers.models import Volunteer
from volunteers.tests.factories import VolunteerFactory


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"signin-{name}.png"), full_page=True)


def _sign_in(phone_page: Any, phone: str, *, volunteer: bool = False, name: str = "") -> None:
    if volunteer:
        phone_page.get_by_test_id("kind-volunteer").check()
    phone_page.get_by_test_id("signin-phone").fill(phone)
    if name:
        phone_page.get_by_test_id("signin-name").fill(name)
    phone_page.get_by_test_id("signin-submit").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("page", [DESKTOP], indirect=True)
def test_a_phone_signs_in_by_the_qr_code_and_staff_see_it(
    page: Any, browser: Any, live_server: Any, tree: Any, worker: Any
) -> None:
    now = timezone.now()
    activity: Activity = activity_create(
        actor=worker,
        unit=tree.station_a,
        title="重阳敬老活动",
        domain=domain(),
        venue="社区活动中心",
        starts_at=now - dt.timedelta(minutes=10),
        ends_at=now + dt.timedelta(hours=2),
        organiser="甲街道社工站",
    )
    resident = cast(Person, PersonFactory(unit=tree.a1, name="李大爷", phone="13812345678"))
    volunteer = cast(Volunteer, VolunteerFactory(unit=tree.a1, name="张志愿", phone="13700001111"))

    login_as(page, "worker_a", PASSWORD)
    page.goto(f"/services/activities/{activity.pk}/")
    assert page.get_by_test_id("signin-qr").is_visible()
    url = page.get_by_test_id("signin-url").get_attribute("href")
    assert url and "/public/signin/?t=" in url
    _shot(page, "staff-before")

    phone_context = browser.new_context(viewport=PHONE, base_url=live_server.url, locale="zh-CN")
    phone = phone_context.new_page()
    phone.set_default_timeout(10_000)
    phone.goto(url)
    assert phone.get_by_test_id("signin-title").inner_text() == "重阳敬老活动"
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(phone, "phone-open")

    _sign_in(phone, "138 1234 5678")
    result = phone.get_by_test_id("signin-result")
    result.filter(has_text="已签到：重阳敬老活动").wait_for()
    assert ActivitySignup.objects.get(activity=activity).person_id == resident.pk

    _sign_in(phone, "13900009999", name="王阿姨")
    phone.wait_for_function(
        "() => document.querySelector('[data-testid=signin-result]').textContent.includes('已签到')"
    )
    _shot(phone, "phone-signed-in")

    phone_context.set_offline(True)
    _sign_in(phone, "13700001111", volunteer=True)
    queued = phone.get_by_test_id("signin-queued")
    queued.filter(has_text="待发送").wait_for()
    assert phone.evaluate("JSON.parse(localStorage.getItem('linli-signin-queue')).length") == 1
    assert not ActivitySignup.objects.filter(activity=activity, volunteer=volunteer).exists()
    _shot(phone, "phone-offline-queued")
    phone_context.set_offline(False)
    phone.wait_for_function("() => localStorage.getItem('linli-signin-queue') === null", timeout=30_000)
    assert queued.is_hidden()
    assert "已签到" in result.inner_text()
    _shot(phone, "phone-back-online")
    phone_context.close()

    record = ServiceRecord.objects.get(volunteer=volunteer)
    assert record.pending and ActivitySignIn.objects.filter(activity=activity).count() == 3
    page.reload()
    rows = page.get_by_test_id("signin-rows").inner_text()
    assert "李大爷" in rows and "王阿姨" in rows and "张志愿" in rows
    assert page.get_by_test_id("pending-record").is_visible()
    assert "1" in page.locator(".cards .card").nth(2).inner_text()  # the unnamed head count
    _shot(page, "staff-after")

    with page.expect_navigation():
        page.get_by_test_id("confirm-record").click()
    with page.expect_navigation():
        page.click("form.form button.primary[type=submit]")
    record.refresh_from_db()
    assert not record.pending

    page.goto(f"/services/activities/{activity.pk}/poster/")
    page.get_by_test_id("poster-qr").wait_for()
    assert page.evaluate("document.querySelector('[data-testid=poster-qr]').naturalWidth") > 0
    _shot(page, "poster")
