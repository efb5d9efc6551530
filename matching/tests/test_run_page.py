"""A matching run's page and its unmet needs: paged through core/lists.py,
in the same number of queries for 10 proposals or unmet needs as for 200."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from matching.models import MatchRun, NeedType, Proposal, RunStatus
from matching.tests.factories import need_for, volunteer_offer
from tests.lists import assert_flat_queries, queries_for

pytestmark = pytest.mark.django_db


def _run(tree: Any, worker: Any) -> MatchRun:
    return MatchRun.objects.create(unit=tree.station_a, started_by=worker, status=RunStatus.DONE, counts={"unmet": 0})


def _proposals(run: MatchRun, tree: Any, k: int) -> None:
    offer = volunteer_offer(tree.a1, capacity=500)
    Proposal.objects.bulk_create(
        [
            Proposal(
                run=run,
                unit=tree.a1,
                need=need_for(tree.a1, card="red"),
                resource=offer,
                distance_m=100 + i,
                priority="red",
                explanation={"rule": "skill", "rank": 1, "candidates": 1},
            )
            for i in range(k)
        ]
    )


def _unmet(run: MatchRun, tree: Any, k: int, **kw: Any) -> list[Any]:
    needs = [need_for(tree.a2, card="blue", **kw) for _ in range(k)]
    for need in needs:
        run.unmet[str(need.pk)] = {"reason": "capacity_used", "missing": 1, "priority": "blue"}
    run.counts["unmet"] = len(run.unmet)
    run.save(update_fields=["unmet", "counts"])
    return needs


def test_it_renders_a_run_of_200_proposals_and_unmet_needs_in_the_queries_of_10(tree, worker, as_user):
    small, large = _run(tree, worker), _run(tree, worker)
    _proposals(small, tree, 10)
    _unmet(small, tree, 10)
    _proposals(large, tree, 200)
    _unmet(large, tree, 200)
    c = as_user(worker)
    for name in ("matching:run_detail", "matching:run_unmet"):
        c.get(reverse(name, args=[small.pk]))  # warm up
        few = queries_for(c, reverse(name, args=[small.pk]))
        many = queries_for(c, reverse(name, args=[large.pk]))
        assert few == many, f"{name}: {few} queries for 10, {many} for 200"
    page = c.get(reverse("matching:run_detail", args=[large.pk]))
    assert page.context["lst"].page.paginator.count == 200 and len(page.context["lst"].rows) < 200


def test_it_pages_the_unmet_needs_with_flat_queries(tree, worker, as_user):
    run = _run(tree, worker)
    assert_flat_queries(as_user(worker), reverse("matching:run_unmet", args=[run.pk]), lambda k: _unmet(run, tree, k))


def test_it_says_why_each_need_stayed_unmet_and_loads_them_into_the_run_page(tree, worker, outsider, as_user):
    run = _run(tree, worker)
    (left,) = _unmet(run, tree, 1)
    NeedType.objects.create(code="free_text_kind", name="自由填写", domain=left.domain, active=False)
    (untyped,) = _unmet(run, tree, 1, code="free_text_kind")
    c = as_user(worker)
    page = c.get(reverse("matching:run_detail", args=[run.pk])).content.decode()
    assert f'hx-get="{reverse("matching:run_unmet", args=[run.pk])}"' in page  # loaded in place
    part = c.get(
        reverse("matching:run_unmet", args=[run.pk]), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="matching-unmet-results"
    )
    html = part.content.decode()
    assert "<html" not in html and left.person.name in html and untyped.person.name in html
    assert "capacity_used" not in html  # the reason in words, not its code
    assert reverse("matching:need_type_set", args=[untyped.pk]) in html
    assert reverse("matching:need_type_set", args=[left.pk]) not in html
    assert as_user(outsider).get(reverse("matching:run_unmet", args=[run.pk])).status_code == 404


def _page_pks(c: Any, url: str, page: int) -> list[int]:
    return [row["pk"] for row in c.get(url, {"page": page, "size": 10}).context["lst"].rows]


def test_page_two_shows_the_next_rows_in_the_lists_order(tree, worker, as_user):
    run, other = _run(tree, worker), _run(tree, worker)
    _proposals(run, tree, 25)
    needs = _unmet(run, tree, 25)
    _unmet(other, tree, 5)  # another run's unmet needs stay out of this one's list
    c = as_user(worker)
    detail = reverse("matching:run_detail", args=[run.pk])
    first, second = _page_pks(c, detail, 1), _page_pks(c, detail, 2)
    by_distance = list(run.proposals.order_by("distance_m", "pk").values_list("pk", flat=True))
    assert first == by_distance[:10] and second == by_distance[10:20]  # red cards all, then nearest first
    unmet = reverse("matching:run_unmet", args=[run.pk])
    one, two, three = (_page_pks(c, unmet, n) for n in (1, 2, 3))
    assert len(one) == len(two) == 10 and len(three) == 5 and not set(one) & set(two)
    assert set(one + two + three) == {n.pk for n in needs}
