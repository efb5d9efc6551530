"""Browser journey on a phone: a worker logs a home visit from "my follow-ups"
ticking 助餐送餐, starts a matching run for the station and sees the nearby
meals volunteer proposed for the red-card resident, with the reasons, while
the blue-card need competing for the same volunteer waits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from grading.models import Card
from grading.tests.factories import graded
from matching.models import Need, NeedType
from matching.tests.factories import need_for, volunteer_offer
from tests.browser import PHONE, login_as
from tests.factories import PASSWORD
from volunteers.tests.factories import VolunteerFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("page", [PHONE], indirect=True)
def test_it_turns_a_visit_need_into_a_proposal_on_a_phone(page: Any, tree: Any, worker: Any) -> None:
    vol = VolunteerFactory(unit=tree.a1, latitude=Decimal("24.481000"), longitude=Decimal("118.090000"))
    volunteer_offer(tree.a1, code="meals", capacity=1, volunteer=vol, name="午间送餐")
    blue = need_for(tree.a1, code="meals", card=Card.BLUE)  # older and nearer, but blue
    red = graded(tree.a2, Card.RED, name="陈红梅", latitude=Decimal("24.487000"), longitude=Decimal("118.090000"))
    login_as(page, "worker_a", PASSWORD)
    page.goto("/grading/followups/")
    page.get_by_test_id(f"log-{red.pk}").click()
    form = page.get_by_test_id("visit-form")
    form.wait_for()
    form.get_by_label("助餐送餐").check()
    form.locator("textarea[name=needs]").fill("助餐，每天中午一顿，少盐")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    form.locator("button[type=submit]").click()
    page.locator(f"#row-{red.pk} .fu-logged").wait_for()
    need = Need.objects.get(person=red)
    assert need.need_type == NeedType.objects.get(code="meals").code and need.visit is not None
    page.goto("/matching/runs/")
    page.select_option("select[name=unit]", str(tree.station_a.pk))
    page.click("button.primary")
    page.wait_for_load_state("networkidle")
    proposal = page.locator("#matching-proposals-results tbody tr").first
    text = proposal.inner_text()
    assert "陈红梅" in text and "午间送餐" in text and "助餐送餐" in text
    assert page.locator("#matching-proposals-results tbody tr").count() == 1
    proposal.locator("summary").click()
    why = proposal.locator(".why").inner_text()
    assert "志愿者技能与需求类别相符" in why and "红卡" in why and "米" in why
    unmet = page.locator("#matching-unmet-results table").inner_text()  # loaded in place
    assert blue.person.name in unmet and "更紧急或更近的需求" in unmet
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
