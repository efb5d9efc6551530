"""The needs, resources and micro-wishes lists: filters, search, and the
masked or unmasked, audited export of exactly what is filtered."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any, cast

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from matching import services
from matching.models import NeedType
from matching.tests.factories import need_for, today, volunteer_offer
from people.models import Person
from people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _cells(response: Any) -> str:
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return "\n".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None)


def _wish(actor: Any, unit: Any, **kw: Any) -> Any:
    return services.wish_publish(
        actor=actor,
        person=kw.pop("person", None) or cast(Person, PersonFactory(unit=unit)),
        title=kw.pop("title", "书包"),
        value=Decimal("50"),
        deadline=today() + dt.timedelta(days=9),
        need_type=NeedType.objects.get(code="goods-study"),
    )


def test_it_exports_the_filtered_needs_masked_or_unmasked(tree: Any, worker: Any, lead: Any, as_user: Any) -> None:
    kept = need_for(tree.a1, person=PersonFactory(unit=tree.a1, name="陈阿婆", phone="13855551234"))
    need_for(tree.a2, person=PersonFactory(unit=tree.a2, name="林阿公"))
    url = reverse("matching:need_list")
    masked = _cells(as_user(worker).get(url, {"unit": tree.a1.pk, "export": "masked"}))
    assert "陈阿婆" in masked and "138****1234" in masked
    assert "林阿公" not in masked and "13855551234" not in masked
    assert as_user(worker).get(url, {"export": "unmasked"}).status_code == 403
    assert "13855551234" in _cells(as_user(lead).get(url, {"export": "unmasked"}))
    events = list(AuditEvent.objects.order_by("id"))
    assert [e.action for e in events] == ["need.export", "need.export_unmasked"]
    assert events[0].changes["rows"] == 1 and events[1].changes["rows"] == 2
    assert kept.pk


def test_it_filters_and_searches_needs(tree: Any, worker: Any, as_user: Any) -> None:
    escort = need_for(tree.a1, person=PersonFactory(unit=tree.a1, name="陈阿婆"))
    need_for(tree.a1, code="goods-study", person=PersonFactory(unit=tree.a1, name="林小妹"))
    url = reverse("matching:need_list")
    c = as_user(worker)
    body = c.get(url, {"need_type": NeedType.objects.get(code="escort").pk}).content.decode()
    assert "陈阿婆" in body and "林小妹" not in body
    body = c.get(url, {"q": "林"}).content.decode()
    assert "陈阿婆" not in body and "林小妹" in body
    assert NeedType.objects.get(code="escort").name in c.get(url).content.decode()
    assert escort.pk


def test_it_exports_the_resources(tree: Any, worker: Any, as_user: Any) -> None:
    volunteer_offer(tree.a1, name="周末陪诊")
    volunteer_offer(tree.a2, name="上门理发", is_active=False)
    url = reverse("matching:offer_list")
    cells = _cells(as_user(worker).get(url, {"is_active": "true", "export": "masked"}))
    assert "周末陪诊" in cells and "上门理发" not in cells
    assert AuditEvent.objects.get().changes["rows"] == 1


def test_it_exports_the_micro_wishes_masked(tree: Any, worker: Any, lead: Any, as_user: Any) -> None:
    _wish(worker, tree.a1, person=PersonFactory(unit=tree.a1, name="小明", phone="13966664321"), title="台灯")
    url = reverse("matching:wish_list")
    masked = _cells(as_user(worker).get(url, {"status": "published", "export": "masked"}))
    assert "台灯" in masked and "139****4321" in masked and "13966664321" not in masked
    assert "13966664321" in _cells(as_user(lead).get(url, {"export": "unmasked"}))
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="wish.export").order_by("id")] == [
        "wish.export",
        "wish.export_unmasked",
    ]


def _run_with(tree: Any, worker: Any, k: int) -> Any:
    from matching.models import MatchRun, Proposal, RunStatus

    run = MatchRun.objects.create(unit=tree.station_a, started_by=worker, status=RunStatus.DONE)
    for _ in range(k):
        need = need_for(tree.a1, card="red")
        Proposal.objects.create(
            run=run,
            unit=tree.a1,
            need=need,
            resource=volunteer_offer(tree.a1),
            distance_m=100,
            priority="red",
            explanation={"rule": "skill", "rank": 1, "candidates": 1},
        )
    return run


@pytest.mark.parametrize("k", [10, 100])
def test_it_pages_a_runs_proposals_in_as_many_queries_for_100_as_for_10(
    k: int, tree: Any, worker: Any, as_user: Any, settings: Any, django_assert_max_num_queries: Any
) -> None:
    from tests.lists import queries_for

    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [100], 100  # all on one page
    run = _run_with(tree, worker, k)
    c = as_user(worker)
    url = reverse("matching:run_detail", args=[run.pk])
    c.get(url)
    n = queries_for(c, url)
    few = queries_for(c, reverse("matching:run_detail", args=[_run_with(tree, worker, 10).pk]))
    assert n == few


def test_it_confirms_the_selected_proposals_of_the_run_only(
    tree: Any, worker: Any, outsider: Any, as_user: Any
) -> None:
    from matching.models import Proposal

    run = _run_with(tree, worker, 2)
    other = _run_with(tree, worker, 1)
    mine, theirs = run.proposals.first(), other.proposals.get()
    url = reverse("matching:run_detail", args=[run.pk])
    as_user(outsider).post(url, {"bulk": "confirm", "ids": [mine.pk]})
    assert Proposal.objects.get(pk=mine.pk).status == "proposed"
    page = as_user(worker).get(url, {"status": "proposed"})
    assert page.context["lst"].page.paginator.count == 2
    as_user(worker).post(url, {"bulk": "confirm", "ids": [mine.pk, theirs.pk]})
    assert Proposal.objects.get(pk=mine.pk).status == "confirmed"
    assert Proposal.objects.get(pk=theirs.pk).status == "proposed"  # another run's id is left alone
    as_user(worker).post(url, {"bulk": "reject", "ids": [run.proposals.last().pk], "reject-note": "不合适"})
    assert run.proposals.filter(status="rejected").count() == 1


def test_it_renders_a_run_with_tasks_and_unmet_needs_in_as_many_queries_for_30_proposals_as_for_3(
    tree: Any, worker: Any, as_user: Any, settings: Any
) -> None:
    from tests.lists import assert_flat_queries

    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [50], 50  # all on one page
    run = _run_with(tree, worker, 0)

    def add(k: int) -> None:
        from matching.models import Proposal

        for i in range(k):
            p = Proposal.objects.create(
                run=run,
                unit=tree.a1,
                need=need_for(tree.a1, card="red"),
                resource=volunteer_offer(tree.a1),
                distance_m=100 + i,
                priority="red",
                explanation={"rule": "skill", "rank": 1, "candidates": 2},
            )
            if i % 2:  # half of them confirmed into tasks, which the status cell links
                services.proposal_confirm(actor=worker, proposals=[p])
            left = need_for(tree.a2, card="blue")
            run.unmet[str(left.pk)] = {"reason": "capacity_used", "missing": 1, "priority": "blue"}
        run.save(update_fields=["unmet"])

    assert_flat_queries(as_user(worker), reverse("matching:run_detail", args=[run.pk]), add)


def test_it_lists_exports_and_filters_service_tasks(tree: Any, worker: Any, lead: Any, as_user: Any) -> None:
    from matching.tests.factories import task_for
    from tests.lists import xlsx_rows

    mine = task_for(tree.a1)
    mine.need.person.phone = "13966664321"
    mine.need.person.save(update_fields=["phone"])
    other = task_for(tree.a2, status="done")
    url = reverse("matching:task_list")
    c = as_user(worker)
    body = c.get(url, {"status": "assigned"}).content.decode()
    assert f"/matching/tasks/{mine.pk}/" in body and f"/matching/tasks/{other.pk}/" not in body
    body = c.get(url, {"unit": tree.a2.pk}).content.decode()
    assert f"/matching/tasks/{mine.pk}/" not in body and f"/matching/tasks/{other.pk}/" in body
    rows = xlsx_rows(c.get(url, {"status": "assigned", "export": "masked"}))
    assert len(rows) == 2 and rows[1][0] == mine.pk and rows[1][2] == "139****4321"
    assert "13966664321" in [r[2] for r in xlsx_rows(as_user(lead).get(url, {"export": "unmasked"}))]
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="task.export").order_by("id")] == [
        "task.export",
        "task.export_unmasked",
    ]


def test_it_lists_runs_with_the_start_form_for_editors_only(tree: Any, worker: Any, viewer: Any, as_user: Any) -> None:
    from matching.models import MatchRun
    from matching.tests.factories import run_for

    done = run_for(tree.station_a)
    failed = run_for(tree.station_a, status="failed")
    url = reverse("matching:run_list")
    body = as_user(worker).get(url, {"status": "failed"}).content.decode()
    assert f"/matching/runs/{failed.pk}/" in body and f"/matching/runs/{done.pk}/" not in body
    assert reverse("matching:run_new") in body
    assert reverse("matching:run_new") not in as_user(viewer).get(url).content.decode()
    # a refused start shows its form again with the service's reason, and starts nothing
    r = as_user(worker).post(reverse("matching:run_new"), {"unit": tree.station_a.pk, "max_distance_m": "5"})
    assert r.status_code == 200 and "max_distance_m" in r.context["form"].errors
    assert MatchRun.objects.count() == 2


def test_it_lists_needs_to_classify_red_cards_first_ungraded_last(tree: Any, worker: Any, as_user: Any) -> None:
    from grading.models import CARD_RANK, Card, PersonGrade
    from matching.models import Need

    def untyped(card: str | None) -> Need:
        need = need_for(tree.a1, card=card)
        if card:
            PersonGrade.objects.filter(person=need.person).update(card_rank=CARD_RANK[Card(card)])
        need.need_type = "老式家电"
        need.save(update_fields=["need_type"])
        return need

    plain, red, green = untyped(None), untyped("red"), untyped("green")
    page = as_user(worker).get(reverse("matching:need_review"))
    assert [r["pk"] for r in page.context["lst"].rows] == [red.pk, green.pk, plain.pk]
