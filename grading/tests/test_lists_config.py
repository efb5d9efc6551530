"""The grading configuration lists: rule sets (made active through the
list's bulk action, by the district only) and the assessment instruments."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from grading import services
from grading.models import GradingRuleSet, Instrument
from tests.lists import assert_flat_queries

pytestmark = pytest.mark.django_db


def _rule_set(admin: Any, name: str) -> GradingRuleSet:
    return services.ruleset_create(
        actor=admin,
        name=name,
        rules=[{"card": "red", "reason": "困难家庭", "categories": ["tekun"]}, {"card": "green", "reason": "其他"}],
    )


def test_it_lists_rule_sets_newest_first_with_their_rules_named(tree: Any, admin: Any, as_user: Any) -> None:
    rs = _rule_set(admin, "低保为红")
    response = as_user(admin).get(reverse("grading:rules"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index("低保为红") < body.index("默认规则")
    assert "特困" in body  # the category's name, not its code
    assert "tekun" not in body
    assert response.context["lst"].page.object_list[0].pk == rs.pk


def test_it_makes_one_selected_rule_set_active_and_refuses_two(tree: Any, admin: Any, as_user: Any) -> None:
    a, b = _rule_set(admin, "甲"), _rule_set(admin, "乙")
    url = reverse("grading:rules")
    client = as_user(admin)
    client.post(url, {"bulk": "activate", "ids": [a.pk, b.pk]})
    assert not GradingRuleSet.objects.filter(pk__in=[a.pk, b.pk], is_active=True).exists()
    client.post(url, {"bulk": "activate", "ids": [a.pk]})
    assert list(GradingRuleSet.objects.filter(is_active=True)) == [a]


def test_it_lets_only_the_district_make_a_rule_set_active(tree: Any, admin: Any, lead: Any, as_user: Any) -> None:
    rs = _rule_set(admin, "甲")
    response = as_user(lead).post(reverse("grading:rules"), {"bulk": "activate", "ids": [rs.pk]})
    assert response.status_code == 403
    assert not GradingRuleSet.objects.get(pk=rs.pk).is_active


def test_it_keeps_the_rule_set_list_queries_flat(tree: Any, admin: Any, as_user: Any, settings: Any) -> None:
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [50], 50
    n = iter(range(1000))
    assert_flat_queries(
        as_user(admin), reverse("grading:rules"), lambda k: [_rule_set(admin, f"版本{next(n)}") for _ in range(k)]
    )


def test_it_lists_instruments_with_their_versions_and_offers_publishing_to_the_district(
    tree: Any, admin: Any, worker: Any, as_user: Any
) -> None:
    url = reverse("grading:instruments")
    instrument = Instrument.objects.get(code="child_risk")
    publish = reverse("configuration:instrument_edit", args=[instrument.pk])
    assert publish in as_user(admin).get(url).content.decode()
    body = as_user(worker).get(url).content.decode()
    assert instrument.name in body and publish not in body
    kinds = as_user(worker).get(url, {"kind": instrument.kind}).context["lst"].page.object_list
    assert instrument in kinds and all(i.kind == instrument.kind for i in kinds)
