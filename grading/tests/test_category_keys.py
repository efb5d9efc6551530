"""Cards remember their resident's categories (grading/category_keys.py):
written by every service that changes categories or makes a card, right
until the next start or end, and the dashboard's cards-by-domain chart
counts the same figure from the keys as from the categories on any day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grading.category_keys import category_keys_renew, domain_cells_live, key_of, keyed_on
from grading.models import CategoryDomain, PersonGrade
from grading.tests.factories import graded, rekey
from people import services as people_services
from people.models import CategoryGroup, CategoryType, PersonCategory
from reports import dashboards

pytestmark = pytest.mark.django_db
D = dt.date(2026, 3, 10)
NOW = dt.datetime(2026, 3, 10, 4, tzinfo=dt.UTC)


def _day(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


def test_it_keys_the_categories_held_on_a_day_until_the_next_start_or_end() -> None:
    held = [(7, _day(-30), None), (3, _day(-30), _day(4)), (9, _day(10), None), (5, _day(-60), _day(-1))]
    assert key_of(held, D) == ("3,7", _day(5))  # 3 ends on day 4: from day 5 the key is "7"
    assert key_of(held, _day(5)) == ("7", _day(10))
    assert key_of(held, _day(10)) == ("7,9", None)
    assert key_of([], D) == ("", None)
    assert key_of([(3, D, D)], D) == ("3", _day(1))  # a one-day category


@time_machine.travel(NOW, tick=False)
def test_it_keys_cards_through_the_services_that_change_categories(tree: Any, worker: Any) -> None:
    tekun = CategoryType.objects.get(code="tekun")
    person = people_services.person_create(
        actor=worker, unit=tree.a1, name="王五", sex="F", birth_date=dt.date(1940, 1, 1)
    )
    grade = PersonGrade.objects.get(person=person)
    assert (grade.categories_key, grade.categories_as_of, grade.categories_until) == ("", D, None)
    held = people_services.category_add(actor=worker, person=person, category=tekun, start_date=_day(-5))
    grade.refresh_from_db()
    assert (grade.categories_key, grade.categories_until) == (str(tekun.pk), None)
    people_services.category_end(actor=worker, held=held, end_date=_day(3))
    grade.refresh_from_db()
    assert (grade.categories_key, grade.categories_until) == (str(tekun.pk), _day(4))
    tag = CategoryType.objects.create(code="lonely_tag", name="孤寡标签", group=CategoryGroup.CUSTOM, active=True)
    people_services.persons_tag(actor=worker, persons=type(person).objects.filter(pk=person.pk), tag=tag)
    grade.refresh_from_db()
    assert grade.categories_key == ",".join(str(pk) for pk in sorted([tekun.pk, tag.pk]))


@time_machine.travel(NOW, tick=False)
def test_it_renews_only_the_keys_a_passing_day_made_late(tree: Any) -> None:
    ending = graded(tree.a1, category="tekun")
    PersonCategory.objects.filter(person=ending).update(end_date=_day(2))
    rekey(ending)
    steady = graded(tree.a1, category="tekun")
    assert set(PersonGrade.objects.filter(keyed_on(_day(3))).values_list("person_id", flat=True)) == {steady.pk}
    assert category_keys_renew(day=_day(3)) == 1
    late = PersonGrade.objects.get(person=ending)
    assert (late.categories_key, late.categories_as_of, late.categories_until) == ("", _day(3), None)
    assert category_keys_renew(day=_day(3)) == 0


def _live(user: Any, root: Any, day: dt.date) -> dict[tuple[int, str], int]:
    from contracts.actuals import in_units
    from grading.selectors import grades_current

    cells = domain_cells_live(grades_current(user).filter(in_units([root])), day)
    return {(domain_id, card): n for (_unit, card, domain_id), n in cells.items() if n}


def _chart(user: Any, root: Any) -> dict[tuple[int, str], int]:
    from core.models import ServiceDomain

    chart = dashboards.cards_by_domain(user, root)
    ids = list(ServiceDomain.objects.filter(active=True).order_by("order").values_list("pk", flat=True))
    by_card = dict(zip(("red", "blue", "green"), chart["series"], strict=True))
    return {(d, card): n for card, s in by_card.items() for d, n in zip(ids, s["data"], strict=True) if n}


def test_it_counts_the_same_from_keys_as_from_categories_on_every_day(tree: Any, admin: Any, worker: Any) -> None:
    """Cards keyed on day 0, categories starting and ending around them; the
    chart on each later day (keys late for some cards, not renewed) equals
    the count from the categories."""
    codes = list(CategoryDomain.objects.order_by("pk").values_list("category__code", flat=True)[:4])
    with time_machine.travel(NOW, tick=False):
        people = []
        for i, (unit, card) in enumerate([(tree.a1, "red"), (tree.a2, "blue"), (tree.b1, "green"), (tree.a1, "blue")]):
            person = graded(unit, card, category=codes[i % len(codes)])
            for j, (start, end) in enumerate([(-10, 2), (3, None), (-40, -20), (1, 6)][: i + 1]):
                PersonCategory.objects.create(
                    person=person,
                    category=CategoryType.objects.get(code=codes[(i + j + 1) % len(codes)]),
                    start_date=_day(start),
                    end_date=_day(end) if end is not None else None,
                )
            people.append(person)
        rekey(*people)
        PersonGrade.objects.filter(person=people[3]).update(categories_as_of=None)  # never keyed: counted live
    for n in (0, 1, 2, 3, 4, 6, 7, 30):
        with time_machine.travel(NOW + dt.timedelta(days=n), tick=False):
            for user, root in ((admin, tree.district), (worker, tree.station_a)):
                assert _chart(user, root) == _live(user, root, _day(n)), (n, user)
                assert _board(user) == _board_live(user, _day(n)), (n, user)


def _board(user: Any) -> dict[tuple[int, str, int], int]:
    from grading.selectors import board

    shown = board(user)
    out = {}
    for row in shown["rows"]:
        for d, per_card in zip(shown["domains"], row["domains"], strict=True):
            for card, n in zip(shown["cards"], per_card, strict=True):
                if n:
                    out[(row["unit"].pk, card.value, d.pk)] = n
    return out


def _board_live(user: Any, day: dt.date) -> dict[tuple[int, str, int], int]:
    from grading.selectors import grades_current

    cells = domain_cells_live(grades_current(user), day, by_unit=True)
    return {(unit_id, card, domain_id): n for (unit_id, card, domain_id), n in cells.items() if n and unit_id}


@time_machine.travel(NOW, tick=False)
def test_it_reads_the_keyed_chart_in_one_query_whatever_the_cards(tree: Any, admin: Any) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            dashboards.cards_by_domain(admin, tree.district)
        return len(ctx.captured_queries)

    graded(tree.a1, category="tekun")
    few = count()
    for unit in (tree.a1, tree.a2, tree.b1) * 3:
        graded(unit, "blue", category="tekun")
    assert count() == few
