"""Guard for the daily loop: a 助餐 need found on a visit to a red-card
resident reaches the nearby 助餐送餐 volunteer ahead of a blue-card need
competing for the same volunteer (one task a week)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from grading import services as grading
from grading.models import Card
from grading.tests.factories import graded
from matching import services
from matching.models import Need, NeedStatus, NeedType
from matching.needtypes import needs_type_map
from matching.selectors import needs_untyped
from matching.tests.factories import volunteer_offer

pytestmark = pytest.mark.django_db

VOLUNTEER = {"latitude": Decimal("24.481000"), "longitude": Decimal("118.090000")}
NEAR: dict[str, Any] = {"latitude": Decimal("24.481300"), "longitude": Decimal("118.090000")}  # ~33 m
FARTHER: dict[str, Any] = {"latitude": Decimal("24.487000"), "longitude": Decimal("118.090000")}  # ~670 m


def _meals_volunteer(tree: Any) -> Any:
    from volunteers.tests.factories import VolunteerFactory

    vol = VolunteerFactory(unit=tree.a1, name="王送餐", **VOLUNTEER)
    return volunteer_offer(tree.a1, code="meals", capacity=1, volunteer=vol, name="午间送餐")


def _visit(worker: Any, person: Any, notes: str) -> Need:
    visit = grading.visit_log(
        actor=worker,
        person=person,
        visited_on=timezone.localdate(),
        need_type_ids=[NeedType.objects.get(code="meals").pk],
        needs=notes,
    )
    return visit.needs_found.get()


def test_a_red_cards_meal_need_from_a_visit_gets_the_scarce_volunteer_first(tree: Any, worker: Any) -> None:
    offer = _meals_volunteer(tree)
    blue = graded(tree.a1, Card.BLUE, name="李蓝天", **NEAR)
    red = graded(tree.a2, Card.RED, name="陈红梅", **FARTHER)
    blue_need = _visit(worker, blue, "想要送餐")  # recorded first, and nearer the volunteer
    red_need = _visit(worker, red, "助餐，每天中午一顿")
    run = services.match_run_start(actor=worker, unit=tree.station_a)
    [proposal] = run.proposals.all()
    assert (proposal.need, proposal.resource) == (red_need, offer)
    assert proposal.priority == "red" and proposal.explanation["rule"] == "skill"
    assert proposal.explanation["category"] == "meals" and proposal.distance_m > 600
    assert run.unmet[str(blue_need.pk)]["reason"] == "capacity_used"
    assert Need.objects.get(pk=red_need.pk).status == NeedStatus.PROPOSED


def test_an_old_free_text_meal_need_is_matched_once_mapped(tree: Any, worker: Any, as_user: Any) -> None:
    offer = _meals_volunteer(tree)
    red = graded(tree.a1, Card.RED, **FARTHER)
    old = Need.objects.create(
        unit=red.unit, person=red, domain=offer.need_types.get().domain, need_type="助餐", source="visit"
    )
    before = services.match_run_start(actor=worker, unit=tree.station_a)
    assert not before.proposals.exists() and before.unmet[str(old.pk)]["reason"] == "no_compatible_resource"
    # The run's page loads its unmet needs in place from their own list.
    run_page = as_user(worker).get(reverse("matching:run_detail", args=[before.pk])).content.decode()
    assert reverse("matching:run_unmet", args=[before.pk]) in run_page
    page = as_user(worker).get(reverse("matching:run_unmet", args=[before.pk])).content.decode()
    assert "其需求类型不在需求目录中" in page and reverse("matching:need_type_set", args=[old.pk]) in page
    assert needs_type_map(actor=worker, needs=list(needs_untyped(worker)))["mapped"] == 1
    after = services.match_run_start(actor=worker, unit=tree.station_a)
    assert [(p.need_id, p.resource_id) for p in after.proposals.all()] == [(old.pk, offer.pk)]
