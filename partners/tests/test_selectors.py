"""partners.selectors: every read keeps to the user's subtree; the ledger's
totals add up per period and station, and the offers per enterprise."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

import pytest

from partners import selectors
from partners.models import Enterprise, EnterpriseOffer, ResourceEntry
from partners.tests.factories import CommunityOrganisationFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db


def _entry(unit: Any, direction: str, value: int, day: dt.date) -> ResourceEntry:
    return ResourceEntry.objects.create(
        unit=unit,
        direction=direction,
        kind="money",
        date=day,
        donor="爱心人士" if direction == "in" else "",
        recipient="困难户" if direction == "out" else "",
        purpose="救助",
        value=value,
    )


def test_each_read_keeps_to_the_subtree(tree: Any, worker: Any, community_worker: Any, outsider: Any) -> None:
    ent_a = EnterpriseFactory(unit=tree.station_a)
    ent_b = EnterpriseFactory(unit=tree.station_b)
    org_a1 = CommunityOrganisationFactory(unit=tree.a1)
    org_a2 = CommunityOrganisationFactory(unit=tree.a2)
    in_a1 = _entry(tree.a1, "in", 100, dt.date(2026, 1, 5))
    in_b1 = _entry(tree.b1, "in", 50, dt.date(2026, 1, 5))
    assert set(selectors.enterprises_visible(worker)) == {ent_a}
    assert set(selectors.enterprises_visible(outsider)) == {ent_b}
    assert set(selectors.enterprises_visible(community_worker)) == set()  # the station's, above the community
    assert set(selectors.organisations_visible(worker)) == {org_a1, org_a2}
    assert set(selectors.organisations_visible(community_worker)) == {org_a1}
    assert set(selectors.entries_visible(worker)) == {in_a1}
    assert set(selectors.entries_visible(outsider)) == {in_b1}


def test_enterprises_with_offers_counts_and_values_their_offers(tree: Any, worker: Any) -> None:
    giving = cast(Enterprise, EnterpriseFactory(unit=tree.station_a, name="给力公司"))
    EnterpriseFactory(unit=tree.station_a, name="新来公司")
    for value in (300, 200):
        EnterpriseOffer.objects.create(enterprise=giving, kind="goods", category="米面油", value=value)
    annotated: list[Any] = list(selectors.enterprises_with_offers(worker))  # with n_offers, offer_value
    rows = {e.name: (e.n_offers, e.offer_value) for e in annotated}
    assert rows == {"给力公司": (2, Decimal(500)), "新来公司": (0, None)}


def test_ledger_totals_add_up_per_period_and_station(tree: Any, admin: Any, worker: Any) -> None:
    _entry(tree.a1, "in", 100, dt.date(2026, 1, 5))
    _entry(tree.a2, "out", 30, dt.date(2026, 1, 20))
    _entry(tree.a1, "in", 40, dt.date(2026, 4, 1))
    _entry(tree.b1, "in", 70, dt.date(2026, 1, 9))
    mine = selectors.ledger_totals(worker, selectors.entries_visible(worker), "quarter")
    assert [(line["label"], line["station"], line["in"], line["out"]) for line in mine["lines"]] == [
        ("2026 Q2", "甲街道社工站", 40, 0),
        ("2026 Q1", "甲街道社工站", 100, 30),
    ]
    assert (mine["in"], mine["out"], mine["balance"]) == (140, 30, 110)
    district = selectors.ledger_totals(admin, selectors.entries_visible(admin), "year")
    assert {(line["station"], line["in"]) for line in district["lines"]} == {
        ("甲街道社工站", 140),
        ("乙街道社工站", 70),
    }
