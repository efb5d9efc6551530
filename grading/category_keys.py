"""Each card remembers the categories its resident holds, so that counting
cards per service domain (the dashboard's cards-by-domain chart and the
grading board, `domain_cells`) reads the cards alone instead of joining every
resident's categories.

`PersonGrade.categories_key` is the sorted ids of the categories held on
`categories_as_of`, comma-separated; it stays right until
`categories_until`, the next day on which one of them starts or ends (none:
open). A reader uses the key on a day in [as_of, until) and counts the
resident's categories live otherwise, so the key can be late but never
wrong. Cards get their key where they are written (grading.enrolment,
grading.services.cards); every people service that changes categories
enrols the resident or calls `people.followup.categories_changed`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from core.lookups import AnyOf
from grading.models import CategoryDomain, PersonGrade
from people.models import PersonCategory

CHUNK = 2000
Key = tuple[str, dt.date | None]


def key_of(held: Iterable[tuple[int, dt.date, dt.date | None]], day: dt.date) -> Key:
    """(key, until) of (category id, start, end) rows on `day`."""
    current: set[int] = set()
    changes: list[dt.date] = []
    for category_id, start, end in held:
        if start > day:
            changes.append(start)
        elif end is None or end >= day:
            current.add(category_id)
            if end is not None:
                changes.append(end + dt.timedelta(days=1))
    return ",".join(str(c) for c in sorted(current)), min(changes, default=None)


def keys_of(person_ids: Sequence[int], day: dt.date) -> dict[int, Key]:
    """(key, until) of each person in `person_ids` on `day`: one query."""
    held: dict[int, list[tuple[int, dt.date, dt.date | None]]] = defaultdict(list)
    rows = PersonCategory.objects.filter(AnyOf(F("person_id"), list(person_ids))).values_list(
        "person_id", "category_id", "start_date", "end_date"
    )
    for person_id, category_id, start, end in rows:
        held[person_id].append((category_id, start, end))
    return {pk: key_of(held.get(pk, ()), day) for pk in person_ids}


def fields(key: Key, day: dt.date) -> dict[str, Any]:
    """The key as the card's columns (a row written without a model, an update)."""
    return {"categories_key": key[0], "categories_as_of": day, "categories_until": key[1]}


FIELDS = list(fields(("", None), dt.date.min))


def stamp(grade: PersonGrade, key: Key, day: dt.date) -> None:
    for name, value in fields(key, day).items():
        setattr(grade, name, value)


def category_keys_refresh(*, person_ids: Sequence[int], day: dt.date) -> int:
    """Re-key the cards of `person_ids` (those without a card are skipped):
    per chunk one read and one update per distinct key. Returns the cards
    updated."""
    updated = 0
    for start in range(0, len(person_ids), CHUNK):
        chunk = list(person_ids[start : start + CHUNK])
        by_key: dict[Key, list[int]] = defaultdict(list)
        for pk, key in keys_of(chunk, day).items():
            by_key[key].append(pk)
        for key, pks in by_key.items():
            updated += PersonGrade.objects.filter(AnyOf(F("person_id"), pks)).update(**fields(key, day))
    return updated


def keyed_on(day: dt.date) -> Q:
    """The cards whose key holds on `day` (the rest are counted live)."""
    return Q(categories_as_of__lte=day) & (Q(categories_until__isnull=True) | Q(categories_until__gt=day))


def category_keys_renew(*, day: dt.date) -> int:
    """Re-key the cards whose key no longer holds (a category started or
    ended since): the hourly job (grading/tasks.py), so that live counting
    stays rare."""
    stale = list(PersonGrade.objects.exclude(keyed_on(day)).order_by("person_id").values_list("person_id", flat=True))
    return category_keys_refresh(person_ids=stale, day=day)


Cell = tuple[int | None, str, int]  # (unit id or None, card, domain id)


def domain_cells(grades: QuerySet[PersonGrade], day: dt.date, *, by_unit: bool = False) -> dict[Cell, int]:
    """Residents per (community, card, service domain) among `grades` (the
    community None unless `by_unit`); a resident holding categories of two
    domains counts in both, two of one domain once. One grouped query over
    the cards' keys; the cards whose key does not hold on `day` are counted
    from their categories (`domain_cells_live`)."""
    domain_of = dict(CategoryDomain.objects.values_list("category_id", "domain_id"))
    keyed = keyed_on(day)
    fields = ["unit_id", "card", "categories_key"] if by_unit else ["card", "categories_key"]
    rows = grades.order_by().values(*fields).annotate(n=Count("pk", filter=keyed), late=Count("pk", filter=~keyed))
    cells: dict[Cell, int] = defaultdict(int)
    late = False
    for row in rows:
        late = late or row["late"] > 0
        unit_id = row["unit_id"] if by_unit else None
        held = {domain_of[int(c)] for c in row["categories_key"].split(",") if c and int(c) in domain_of}
        for domain_id in held:
            cells[(unit_id, row["card"], domain_id)] += row["n"]
    if late:
        for cell, n in domain_cells_live(grades.exclude(keyed), day, by_unit=by_unit).items():
            cells[cell] += n
    return dict(cells)


def domain_cells_live(grades: QuerySet[PersonGrade], day: dt.date, *, by_unit: bool = False) -> dict[Cell, int]:
    """`domain_cells` from the categories held on `day` (no keys)."""
    unit = ["person__grade__unit_id"] if by_unit else []
    rows = (
        PersonCategory.objects.filter(
            person_id__in=grades.values("person_id"), start_date__lte=day, category__board_domain__isnull=False
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .order_by()
        .values(*unit, "person__grade__card", "category__board_domain__domain_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    return {
        (
            r["person__grade__unit_id"] if by_unit else None,
            r["person__grade__card"],
            r["category__board_domain__domain_id"],
        ): r["n"]
        for r in rows
    }
