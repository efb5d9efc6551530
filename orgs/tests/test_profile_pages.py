"""Where the profile shows: the 一分 overview's rate per 1,000 inhabitants and
the needs survey's page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from grading.models import Card
from grading.tests.factories import graded
from orgs import profiles
from orgs.models import CommunityTrait
from workrecords.models import NeedsSurvey

pytestmark = pytest.mark.django_db


def test_the_board_shows_graded_residents_per_thousand_blank_without_population(
    tree: Any, lead: Any, as_user: Any
) -> None:
    for card in (Card.RED, Card.BLUE, Card.GREEN):
        graded(tree.a1, card)
    graded(tree.a2, Card.RED)
    profiles.profile_update(actor=lead, unit=tree.a1, population=6000, households=2000, figures_year=2024)
    # A2 has no profile: its rate is blank, not zero or infinity
    response = as_user(lead).get(reverse("grading:board"))
    rows = {r["unit"].pk: r["per_thousand"] for r in response.context["rows"]}
    assert rows == {tree.a1.pk: Decimal("0.5"), tree.a2.pk: None}  # 3 graded / 6,000 × 1,000
    assert response.context["total_rate"] == Decimal("0.5")  # only where the population is known
    cells = response.content.decode().split('data-testid="per-thousand">')[1:]
    assert [c.split("<")[0] for c in cells] == ["0.5", ""]


def test_the_needs_survey_shows_the_profiles_of_its_communities(tree: Any, lead: Any, as_user: Any) -> None:
    trait = CommunityTrait.objects.get(code="near-hospital")
    profiles.profile_update(
        actor=lead, unit=tree.a1, population=5940, households=1681, figures_year=2024, traits=[trait]
    )
    community = NeedsSurvey.objects.create(
        unit=tree.a1, date=dt.date(2026, 3, 1), kind="focus_group", title="社区需求座谈"
    )
    station = NeedsSurvey.objects.create(
        unit=tree.station_a, date=dt.date(2026, 3, 2), kind="focus_group", title="全站调研"
    )
    other = NeedsSurvey.objects.create(unit=tree.a2, date=dt.date(2026, 3, 3), kind="focus_group", title="乙社区")
    client = as_user(lead)
    for survey in (community, station):
        page = client.get(reverse("workrecords:surveys_detail", args=[survey.pk])).content.decode()
        assert "5940" in page and "毗邻医院" in page
    page = client.get(reverse("workrecords:surveys_detail", args=[other.pk])).content.decode()
    assert 'data-testid="community-profile"' not in page and "5940" not in page
