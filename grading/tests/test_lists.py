"""The grading lists: the board's people and the not-visited list export
masked or unmasked with the row count audited, and the selected residents
can be given another responsible worker (within `may_follow_up`)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEvent
from grading.models import Card, PersonGrade
from grading.tests.factories import graded
from people.tests.factories import person_with_category
from tests.lists import assert_flat_queries

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def _cells(response: Any) -> str:
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return "\n".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None)


def test_it_exports_the_board_people_of_a_card_masked_or_unmasked(
    tree: Any, worker: Any, lead: Any, as_user: Any
) -> None:
    graded(tree.a1, Card.RED, name="陈红", phone="13855551234")
    graded(tree.a2, Card.GREEN, name="林绿")
    url = reverse("grading:board_people")
    masked = _cells(as_user(worker).get(url, {"card": "red", "export": "masked"}))
    assert "陈红" in masked and "138****1234" in masked and "林绿" not in masked and "13855551234" not in masked
    assert as_user(worker).get(url, {"export": "unmasked"}).status_code == 403
    assert "13855551234" in _cells(as_user(lead).get(url, {"export": "unmasked"}))
    events = list(AuditEvent.objects.order_by("id"))
    assert [(e.action, e.changes["rows"]) for e in events] == [("card.export", 1), ("card.export_unmasked", 2)]


@time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=TZ), tick=False)
def test_it_exports_who_is_not_yet_visited_in_the_chosen_month(tree: Any, lead: Any, as_user: Any) -> None:
    person_with_category(tree.a1, "elderly_alone", name="独居老人", phone="13900001111")
    url = reverse("grading:rates_unvisited")
    page = as_user(lead).get(url, {"month": "2026-06", "unit": tree.a1.pk})
    assert "独居老人" in page.content.decode() and "2026-06" in page.context["title"]
    cells = _cells(as_user(lead).get(url, {"month": "2026-06", "export": "masked"}))
    assert "独居老人" in cells and "139****1111" in cells
    assert AuditEvent.objects.get().action == "visit.unvisited_export"


def test_it_reassigns_the_selected_residents_one_audit_event_each(
    tree: Any, worker: Any, colleague: Any, lead: Any, as_user: Any
) -> None:
    a = graded(tree.a1, Card.RED, responsible=worker)
    b = graded(tree.a2, Card.BLUE, responsible=worker)
    url = reverse("grading:board_people")
    response = as_user(lead).post(
        url, {"bulk": "reassign", "ids": [a.grade.pk, b.grade.pk], "reassign-worker": colleague.pk}
    )
    assert response.status_code == 302
    assert set(PersonGrade.objects.values_list("responsible", flat=True)) == {colleague.pk}
    assert AuditEvent.objects.filter(action="card.assign").count() == 2


def test_it_reassigns_no_one_when_the_worker_may_not_follow_up_one_of_them(
    tree: Any, worker: Any, community_worker: Any, lead: Any, as_user: Any
) -> None:
    here = graded(tree.a1, Card.RED, responsible=worker)
    there = graded(tree.a2, Card.RED, responsible=worker, name="甲二居民")
    url = reverse("grading:board_people")
    response = as_user(lead).post(
        url,
        {"bulk": "reassign", "ids": [here.grade.pk, there.grade.pk], "reassign-worker": community_worker.pk},
        follow=True,
    )
    assert "甲二居民" in response.content.decode()  # named in the refusal
    assert set(PersonGrade.objects.values_list("responsible", flat=True)) == {worker.pk}
    assert not AuditEvent.objects.filter(action="card.assign").exists()


# ---------------------------------------------------------------- my follow-ups


def test_it_pages_my_followups_in_urgency_order_with_the_toolkits_size_and_jump(
    tree: Any, worker: Any, as_user: Any, settings: Any
) -> None:
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [2, 50], 2
    today = dt.date.today()
    for i, card in enumerate([Card.GREEN, Card.RED, Card.BLUE]):
        graded(tree.a1, card, next_due=today + dt.timedelta(days=i + 1), name=f"人{i}")
    graded(tree.a1, Card.GREEN, next_due=today - dt.timedelta(days=3), name="逾期")
    url = reverse("grading:followups")
    client = as_user(worker)
    first = client.get(url)
    assert [g.person.name for g in first.context["page"]] == ["逾期", "人1"]
    assert first.context["page"].paginator.count == 4
    body = first.content.decode()
    assert 'name="page"' in body and "?page=2" in body  # the jump box and the page links
    assert [g.person.name for g in client.get(url, {"page": 2}).context["page"]] == ["人2", "人0"]
    assert [g.person.name for g in client.get(url, {"page": 99}).context["page"]] == ["人2", "人0"]
    assert len(client.get(url, {"size": 50}).context["page"]) == 4
    assert len(client.get(url, {"size": 7}).context["page"]) == 2  # not a choice: the default


def test_it_widens_my_followups_to_everyone_and_keeps_the_choice_when_paging(
    tree: Any, worker: Any, colleague: Any, as_user: Any, settings: Any
) -> None:
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [1, 50], 1
    today = dt.date.today()
    graded(tree.a1, Card.RED, next_due=today + dt.timedelta(days=1), responsible=colleague, name="同事的")
    graded(tree.a1, Card.RED, next_due=today + dt.timedelta(days=2), name="没人管")
    url = reverse("grading:followups")
    client = as_user(worker)
    assert client.get(url).context["page"].paginator.count == 1
    everyone = client.get(url, {"show": "all"})
    assert everyone.context["page"].paginator.count == 2
    assert "show=all&amp;page=2" in everyone.content.decode()
    assert client.get(url, {"show": "nonsense"}).context["page"].paginator.count == 1  # ignored: mine


def test_it_answers_an_htmx_page_turn_with_the_cards_only(tree: Any, worker: Any, as_user: Any) -> None:
    graded(tree.a1, Card.RED, next_due=dt.date.today(), name="卡片")
    response = as_user(worker).get(
        reverse("grading:followups"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="grading-followups-results"
    )
    body = response.content.decode()
    assert "卡片" in body and 'data-testid="followups"' in body and "<h1>" not in body


def test_it_keeps_my_followups_queries_flat(tree: Any, lead: Any, as_user: Any, settings: Any) -> None:
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [50], 50
    today = dt.date.today()
    assert_flat_queries(
        as_user(lead),
        reverse("grading:followups") + "?show=all",
        lambda k: [graded(tree.a1, Card.RED, next_due=today) for _ in range(k)],
    )


def test_it_shows_an_outsider_none_of_the_followups(tree: Any, outsider: Any, as_user: Any) -> None:
    graded(tree.a1, Card.RED, next_due=dt.date.today(), name="甲站的人")
    response = as_user(outsider).get(reverse("grading:followups"), {"show": "all", "unit": tree.a1.pk})
    assert "甲站的人" not in response.content.decode()
    assert response.context["page"].paginator.count == 0
