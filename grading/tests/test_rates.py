from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from grading import selectors, services
from grading.models import Card
from grading.rules import due_date
from grading.tests.factories import graded
from people.tests.factories import PersonFactory, person_with_category

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=8))


def _rate(rows: list, unit: Any) -> tuple[int, int]:
    row = next(r for r in rows if r.unit.pk == unit.pk)
    return row.target, row.visited


@time_machine.travel(dt.datetime(2028, 3, 1, 9, 0, tzinfo=TZ), tick=False)
def test_it_counts_the_monthly_visit_rate_across_a_leap_month_end(tree: Any, worker: Any, lead: Any) -> None:
    alone = person_with_category(tree.a1, "elderly_alone")
    disabled = person_with_category(tree.a2, "disability")
    tekun = person_with_category(tree.a1, "tekun")
    person_with_category(tree.a1, "dibao")  # not a policy group
    PersonFactory(unit=tree.a1)
    services.visit_log(actor=worker, person=alone, visited_on=dt.date(2028, 2, 29))  # leap day: February
    services.visit_log(actor=worker, person=disabled, visited_on=dt.date(2028, 3, 1))  # March
    services.visit_log(actor=worker, person=tekun, visited_on=dt.date(2028, 1, 31))  # January
    feb = selectors.visit_rates(lead, dt.date(2028, 2, 1))
    assert _rate(feb, tree.a1) == (2, 1)
    assert _rate(feb, tree.a2) == (1, 0)
    assert _rate(feb, tree.station_a) == (3, 1)
    row = next(r for r in feb if r.unit.pk == tree.station_a.pk)
    assert row.rate == 33.3 and row.unvisited == 2
    mar = selectors.visit_rates(lead, dt.date(2028, 3, 1))
    assert _rate(mar, tree.station_a) == (3, 1)
    # community by community (a1 before a2)
    assert [p.pk for p in selectors.unvisited(lead, dt.date(2028, 2, 1), tree.station_a)] == [tekun.pk, disabled.pk]


@time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=TZ), tick=False)
def test_it_counts_only_categories_held_during_the_month(tree: Any, lead: Any) -> None:
    person_with_category(tree.a1, "elderly_alone", start_date=dt.date(2026, 6, 1))
    from people.models import PersonCategory

    ended = person_with_category(tree.a1, "elderly_alone")
    PersonCategory.objects.filter(person=ended).update(end_date=dt.date(2026, 4, 30))
    assert _rate(selectors.visit_rates(lead, dt.date(2026, 5, 1)), tree.a1) == (0, 0)
    assert _rate(selectors.visit_rates(lead, dt.date(2026, 6, 1)), tree.a1) == (1, 0)
    assert _rate(selectors.visit_rates(lead, dt.date(2026, 4, 1)), tree.a1) == (1, 0)


@time_machine.travel(dt.datetime(2026, 6, 15, 9, 0, tzinfo=TZ), tick=False)
def test_it_shows_rates_per_unit_with_the_unvisited_one_click_away(
    tree: Any, worker: Any, lead: Any, as_user: Any
) -> None:
    alone = person_with_category(tree.a1, "elderly_alone")
    person_with_category(tree.b1, "elderly_alone", name="乙站老人")
    client = as_user(lead)
    page = client.get(reverse("grading:rates") + "?month=2026-06")
    assert page.status_code == 200
    link = reverse("grading:rates_unvisited") + f"?unit={tree.a1.pk}&amp;month=2026-06"
    assert link in page.content.decode()
    unvisited = client.get(reverse("grading:rates_unvisited") + f"?unit={tree.a1.pk}&month=2026-06")
    assert [p.pk for p in unvisited.context["lst"].page] == [alone.pk]
    # A unit outside the lead's subtree is no choice of the org filter: ignored, B stays hidden.
    outside = client.get(reverse("grading:rates_unvisited") + f"?unit={tree.b1.pk}")
    assert "乙站老人" not in outside.content.decode() and alone.name in outside.content.decode()
    services.visit_log(actor=worker, person=alone, visited_on=dt.date(2026, 6, 14))
    again = client.get(reverse("grading:rates_unvisited") + f"?unit={tree.a1.pk}&month=2026-06")
    assert list(again.context["lst"].page) == []


@time_machine.travel(dt.datetime(2026, 1, 31, 9, 0, tzinfo=TZ), tick=False)
def test_it_escalates_across_a_month_end(tree: Any, lead: Any, admin: Any, colleague: Any) -> None:
    graded(tree.a1, Card.RED, next_due=dt.date(2026, 1, 28), responsible=colleague, name="月末")
    assert [g.person.name for g in selectors.followups(lead)] == ["月末"]  # 3 days overdue
    assert list(selectors.followups(admin)) == []
    with time_machine.travel(dt.datetime(2026, 2, 4, 9, 0, tzinfo=TZ), tick=False):
        assert [g.person.name for g in selectors.followups(admin)] == ["月末"]  # 7 days, in February


@settings(max_examples=60, deadline=None)
@given(
    graded_on=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
    interval=st.integers(1, 365),
    last=st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))),
    event=st.one_of(st.none(), st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))),
)
def test_it_never_lets_the_due_date_pass_the_interval_or_an_open_event(
    graded_on: dt.date, interval: int, last: dt.date | None, event: dt.date | None
) -> None:
    due = due_date(graded_on=graded_on, card="red", interval_days=interval, last_visit=last, event_due=event)
    base = last + dt.timedelta(days=interval) if last else graded_on
    assert due <= base
    if event is not None:
        assert due <= event
    assert due in {base, event}
