from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from grading.models import CategoryDomain
from grading.selectors import board
from grading.tests.factories import graded, rekey
from people.models import CategoryType, Person, PersonCategory
from people.tests.factories import person_with_category
from reports.dashboards import cards_by_domain

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 20)


def _categories():
    """Two categories of one domain and one of another, from the seeded map."""
    by_domain: dict[int, list[str]] = {}
    for code, domain_id in CategoryDomain.objects.order_by("pk").values_list("category__code", "domain_id"):
        by_domain.setdefault(domain_id, []).append(code)
    (d1, codes1), (d2, codes2) = [(d, c) for d, c in by_domain.items() if c][:2]
    return d1, codes1[0], codes1[1], d2, codes2[0]


def _add(person, code, **dates):
    PersonCategory.objects.create(
        person=person, category=CategoryType.objects.get(code=code), start_date=dt.date(2020, 1, 1), **dates
    )
    rekey(person)


def _cells(chart):
    names = {s["name"]: s["data"] for s in chart["series"]}
    return {(cat, card): n for card, data in names.items() for cat, n in zip(chart["categories"], data, strict=True)}


@time_machine.travel(dt.datetime(2026, 5, 20, 4, tzinfo=dt.UTC), tick=False)
def test_it_counts_each_recipient_once_per_domain_by_current_card_in_scope(tree, admin, worker, outsider):
    from core.models import ServiceDomain
    from grading.models import Card

    d1, a, a2, d2, b = _categories()
    both_in_one = graded(tree.a1, Card.RED, category=a)
    _add(both_in_one, a2)  # two categories of one domain: counted once there
    two_domains = graded(tree.a1, Card.BLUE, category=a)
    _add(two_domains, b)  # counted in each domain
    graded(tree.b1, Card.GREEN, category=b)  # another station
    ended = graded(tree.a2, Card.RED, category=a)
    PersonCategory.objects.filter(person=ended).update(end_date=TODAY - dt.timedelta(days=1))
    rekey(ended)
    person_with_category(tree.a1, a)  # not graded: no card to count
    left = graded(tree.a1, Card.RED, category=a)
    Person.objects.filter(pk=left.pk).update(is_active=False)  # no longer served: off the board, off the chart
    name1, name2 = ServiceDomain.objects.get(pk=d1).name, ServiceDomain.objects.get(pk=d2).name
    red, blue, green = (str(Card(c).label) for c in ("red", "blue", "green"))

    district = _cells(cards_by_domain(admin, tree.district))
    assert (district[(name1, red)], district[(name1, blue)], district[(name1, green)]) == (1, 1, 0)
    assert (district[(name2, red)], district[(name2, blue)], district[(name2, green)]) == (0, 1, 1)
    assert sum(district.values()) == 4
    # The grading board shows the same figure: its totals per domain and card.
    on_board = board(admin)
    for d, per_card in zip(on_board["domains"], on_board["totals"]["domains"], strict=True):
        for card, n in zip(on_board["cards"], per_card, strict=True):
            assert district[(d.name, str(card.label))] == n, (d.name, card)

    station = _cells(cards_by_domain(worker, tree.station_a))
    assert station[(name2, green)] == 0 and sum(station.values()) == 3
    # The district's chart as an outsider of station A sees it: their own station only.
    assert sum(_cells(cards_by_domain(outsider, tree.district)).values()) == 1
    assert sum(_cells(cards_by_domain(outsider, tree.station_a)).values()) == 0
