"""core.inserts: rows COPYed in bulk leave the planner's statistics current, so
the import's own look-ups after each batch are planned for the table as it is."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from django.db import connection

from core import inserts
from people.models import Person

PG_ONLY = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and ANALYZE are PostgreSQL's")


def _rows(tree: Any, n: int, start: int) -> list[tuple[Any, ...]]:
    born = dt.date(1950, 1, 1)
    return [(tree.a1.pk, f"居民{i}", born) for i in range(start, start + n)]


def _estimate() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = 'people_person'::regclass")
        return float(cursor.fetchone()[0])


@PG_ONLY
def test_it_refreshes_statistics_as_a_bulk_insert_grows_the_table(tree: Any) -> None:
    columns = ("unit_id", "name", "birth_date")
    # Start from the table as this test sees it: earlier tests' ANALYZEs outlive their rollback, and their
    # rows stay counted on this connection.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person")
    connection.__dict__.pop("_linli_rows_since_analyze", None)
    inserts.insert_rows(Person, columns, _rows(tree, inserts.ANALYZE_AFTER - 1, 0))
    assert _estimate() < inserts.ANALYZE_AFTER - 1  # a small insert plans nothing anew
    inserts.insert_rows(Person, columns, _rows(tree, 2, inserts.ANALYZE_AFTER))
    assert _estimate() >= inserts.ANALYZE_AFTER


@pytest.mark.django_db
def test_it_stores_each_rows_own_times(tree: Any) -> None:
    from django.utils import timezone

    from grading.models import EventKind, MajorEvent
    from people.tests.factories import PersonFactory

    person = cast(Person, PersonFactory(unit=tree.a1))
    first = timezone.now().replace(microsecond=0)
    times = [first, first + dt.timedelta(hours=5), first, first + dt.timedelta(days=1)]
    inserts.insert_rows(
        MajorEvent,
        ("person_id", "unit_id", "kind", "occurred_at", "due_at"),
        [(person.pk, tree.a1.pk, EventKind.HOSPITAL, t, t + dt.timedelta(days=2)) for t in times],
    )
    rows = MajorEvent.objects.filter(person=person).order_by("pk").values_list("occurred_at", "due_at")
    assert list(rows) == [(t, t + dt.timedelta(days=2)) for t in times]
