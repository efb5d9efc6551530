"""Each card remembers the categories its resident holds, so that counting
cards per service domain (the dashboard's cards-by-domain chart) reads the
cards alone instead of joining every resident's categories.

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

from django.db.models import F, Q

from core.lookups import AnyOf
from grading.models import PersonGrade
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


def stamp(grade: PersonGrade, key: Key, day: dt.date) -> None:
    grade.categories_key, grade.categories_until = key
    grade.categories_as_of = day


def fields(key: Key, day: dt.date) -> dict[str, Any]:
    """The key as the columns of a row written without a model."""
    return {"categories_key": key[0], "categories_until": key[1], "categories_as_of": day}


FIELDS = ["categories_key", "categories_as_of", "categories_until"]


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
    ended since): the nightly job, so that live counting stays rare."""
    stale = list(PersonGrade.objects.exclude(keyed_on(day)).order_by("person_id").values_list("person_id", flat=True))
    return category_keys_refresh(person_ids=stale, day=day)
