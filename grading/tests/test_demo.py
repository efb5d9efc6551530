from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from core.demo import DemoContext
from grading.demo import seed
from grading.models import CardChange, PersonGrade, Visit
from people.tests.factories import PersonFactory, person_with_category

pytestmark = pytest.mark.django_db


def test_it_grades_demo_residents_with_history_and_visits_idempotently(tree: Any, admin: Any, worker: Any) -> None:
    person_with_category(tree.a1, "tekun")
    person_with_category(tree.a2, "elderly_alone", birth_date=dt.date(1950, 1, 1))
    PersonFactory(unit=tree.b1)
    ctx = DemoContext(data={"district": tree.district})
    seed(ctx)
    assert PersonGrade.objects.count() == 3
    assert set(PersonGrade.objects.values_list("card", flat=True)) == {"red", "blue", "green"}
    assert Visit.objects.exists()
    assert all(g.next_due is not None for g in PersonGrade.objects.all())
    counts = (PersonGrade.objects.count(), Visit.objects.count(), CardChange.objects.count())
    seed(ctx)
    assert (PersonGrade.objects.count(), Visit.objects.count(), CardChange.objects.count()) == counts
