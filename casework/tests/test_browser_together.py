"""Browser journey (issue 15): a case conference with a partner organisation
adds two goals to the plan, the case is referred to a partner hospital of
the registry, the hospital answers through its link in a browser of its own
(no login), and the case worker sees the answer. The case page is checked at
phone width too. Screenshots go to test-artifacts/."""

from __future__ import annotations

from typing import Any, cast

import pytest

from casework.models import CaseGoal, Referral
from casework.services import case_move
from casework.tests.factories import open_case
from partners.models import CommunityOrganisation, Enterprise
from partners.tests.factories import CommunityOrganisationFactory, EnterpriseFactory
from people.models import Person
from people.tests.factories import PersonFactory
from tests.browser import ARTIFACTS, PHONE, login_as
from tests.factories import PASSWORD


def _submit(page: Any) -> None:
    with page.expect_navigation():
        page.click("form.form button.primary[type=submit]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_works_a_case_together_with_partners(
    page: Any, browser: Any, live_server: Any, tree: Any, worker: Any
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    person = cast(Person, PersonFactory(unit=tree.a1, name="郑秀兰"))
    org = cast(CommunityOrganisation, CommunityOrganisationFactory(unit=tree.station_a, name="邻里互助会"))
    hospital = cast(Enterprise, EnterpriseFactory(unit=tree.station_a, name="社区康复医院"))
    case = open_case(worker, person=person)
    case_move(actor=worker, case=case, action="assess")
    case_move(actor=worker, case=case, action="draft_plan")
    case_url = f"/services/cases/{case.pk}/"
    login_as(page, "worker_a", PASSWORD)

    # 个案研讨 with the partner organisation: two decisions become two goals.
    page.goto(f"{case_url}conferences/new/")
    page.select_option("#id_organisations", value=str(org.pk))
    page.check("#id_resident_attended")
    page.fill("#id_discussion", "与邻里互助会、案主共同研讨：独居、行动不便，需要康复与社交支持。")
    page.fill("#id_decision-0-text", "一个月内每周参加一次互助会活动")
    page.select_option("#id_decision-0-party", value=f"org:{org.pk}")
    page.fill("#id_decision-0-due_on", "2026-12-31")
    page.fill("#id_decision-1-text", "按时完成康复训练")
    page.select_option("#id_decision-1-party", value="family")
    page.fill("#id_decision-1-family_name", "女儿 李梅")
    page.screenshot(path=str(ARTIFACTS / "together-conference-form.png"), full_page=True)
    _submit(page)
    assert page.get_by_test_id("goal").count() == 2
    assert "邻里互助会" in page.get_by_test_id("conferences").inner_text()
    assert CaseGoal.objects.filter(case=case, conference__isnull=False).count() == 2

    # 转介 to the partner hospital, then its answer link.
    page.goto(f"{case_url}referrals/new/")
    page.select_option("#id_partner", value=f"ent:{hospital.pk}")
    page.fill("#id_reason", "跌倒后髋部疼痛，需要康复评估")
    page.fill("#id_asked", "请安排康复科门诊并反馈评估结果")
    page.fill("#id_consent_on", page.input_value("#id_referred_on"))
    _submit(page)
    referral = Referral.objects.get(case=case)
    with page.expect_navigation():
        page.get_by_test_id(f"referral-link-{referral.pk}").click()
    with page.expect_navigation():
        page.click("form.form button.primary[type=submit]")
    link = page.get_by_test_id("referral-link").input_value()
    assert "/public/referrals/?t=" in link

    # The hospital, in a browser of its own without an account.
    hospital_context = browser.new_context(viewport=PHONE, locale="zh-CN")
    hospital_page = hospital_context.new_page()
    hospital_page.set_default_timeout(10_000)
    hospital_page.goto(link)
    assert hospital_page.get_by_test_id("referral-resident").inner_text() == "郑**"
    assert "郑秀兰" not in hospital_page.content()
    hospital_page.check("input[name=answer][value=accept]")
    hospital_page.fill("#id_answered_by", "康复科 刘医生")
    hospital_page.fill("#id_feedback", "已预约12月2日上午康复科门诊")
    hospital_page.screenshot(path=str(ARTIFACTS / "together-partner-answer.png"), full_page=True)
    with hospital_page.expect_navigation():
        hospital_page.click("button[type=submit]")
    assert hospital_page.get_by_test_id("referral-done").is_visible()
    hospital_page.goto(link)  # the link is spent
    assert hospital_page.get_by_test_id("referral-refused").is_visible()
    hospital_page.screenshot(path=str(ARTIFACTS / "together-partner-link-used.png"), full_page=True)
    hospital_context.close()

    # The case worker sees the answer.
    page.goto(case_url)
    row = page.get_by_test_id(f"referral-{referral.pk}")
    assert "已预约12月2日上午康复科门诊" in row.inner_text() and "康复科 刘医生" in row.inner_text()
    referral.refresh_from_db()
    assert referral.status == "accepted"
    page.screenshot(path=str(ARTIFACTS / "together-case-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.goto(case_url)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "together-case-phone.png"), full_page=True)
