"""Scoped reads of residents and household files."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core import identity
from core.access import scope, unit_in_scope
from core.identity import pinyin_of
from people.models import CategoryGroup, CategoryType, Household, Person, PersonCategory
from people.search_keys import phone_key

if TYPE_CHECKING:
    from accounts.models import User


def persons_visible(user: Any) -> QuerySet[Person]:
    """Residents whose community lies in the user's subtree."""
    return scope(Person.objects.all(), user).select_related("unit", "household")


def households_visible(user: Any) -> QuerySet[Household]:
    """Household files whose community lies in the user's subtree."""
    return scope(Household.objects.all(), user).select_related("unit", "head")


def person_detail_qs(user: Any) -> QuerySet[Person]:
    # `grade` is the follow-up card (grading.PersonGrade), fetched with the row
    return (
        persons_visible(user)
        .select_related("grade")
        .prefetch_related(
            Prefetch("categories", queryset=PersonCategory.objects.select_related("category")),
            "guardians",
            "consents",
            "data_requests",
        )
    )


def communities_in_scope(user: Any) -> QuerySet[Any]:
    from core.access import unit_subtree
    from core.roles import Level

    return unit_subtree(user).filter(level=Level.COMMUNITY).order_by("path")


def categories_active(*, custom: bool | None = None) -> QuerySet[CategoryType]:
    qs = CategoryType.objects.filter(active=True)
    if custom is True:
        qs = qs.filter(group=CategoryGroup.CUSTOM)
    elif custom is False:
        qs = qs.exclude(group=CategoryGroup.CUSTOM)
    return qs


def category_types() -> QuerySet[CategoryType]:
    """Every category and local tag, switched off or not (the configuration page)."""
    return CategoryType.objects.all()


def custom_tag(tag_id: int) -> CategoryType | None:
    return CategoryType.objects.filter(group=CategoryGroup.CUSTOM, pk=tag_id).first()


# ---------------------------------------------------------------- identity checks


def duplicate_id_message(actor: User, number: str, *, exclude_pk: int | None = None) -> str | None:
    """A message naming the existing file with this ID, or None."""
    same = Person.objects.filter(id_hash=identity.id_hash(number))
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    existing = same.select_related("unit").first()
    if existing is None:
        return None
    if unit_in_scope(actor, existing.unit):
        return _("This resident ID is already on file: %(name)s, %(unit)s (file no. %(pk)s).") % {
            "name": existing.name,
            "unit": existing.unit.name,
            "pk": existing.pk,
        }
    return _("This resident ID is already on file in another station; ask the district centre to transfer it.")


def possible_duplicates(name: str, birth_date: dt.date, *, exclude_pk: int | None = None) -> list[Person]:
    """Files with the same name (by pinyin) and birth date: maybe the same person."""
    full, _initials = pinyin_of(name)
    same = Person.objects.filter(name_pinyin=full, birth_date=birth_date, anonymised_at__isnull=True)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    return list(same.select_related("unit")[:5])


def person_data(person: Person) -> dict[str, Any]:
    """Everything the registry holds about a person (for a PIPL copy). The ID is
    included in full: the copy is for the person themself."""
    return {
        "name": person.name,
        "sex": person.get_sex_display(),
        "birth_date": person.birth_date.isoformat(),
        "resident_id": identity.decrypt(person.id_cipher),
        "community": person.unit.name,
        "phone": person.phone,
        "phone2": person.phone2,
        "registered_address": person.registered_address,
        "actual_address": person.actual_address,
        "household": person.household.address if person.household else "",
        "relation": person.get_relation_display() if person.relation else "",
        "notes": person.notes,
        "categories": [
            {
                "category": c.category.name,
                "from": c.start_date.isoformat(),
                "until": c.end_date.isoformat() if c.end_date else None,
                "subtype": c.subtype,
                "grade": c.grade,
                "evidence": c.evidence,
            }
            for c in person.categories.select_related("category")
        ],
        "guardians": [{"name": g.name, "relation": g.relation, "phone": g.phone} for g in person.guardians.all()],
        "consents": [
            {
                "purpose": c.purpose,
                "given_on": c.given_on.isoformat(),
                "given_by": c.given_by,
                "withdrawn_on": c.withdrawn_on.isoformat() if c.withdrawn_on else None,
            }
            for c in person.consents.all()
        ],
    }


def search_persons(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    """Name, full pinyin, pinyin initials (`zs` → 张三), phone tail, ID tail or
    the whole ID number (matched on its keyed hash).

    Each kind is an index range on a key of people/search_keys.py: pinyin and
    initials by prefix, a phone by its reversed digits (a tail is a prefix of
    them), the ID by the four characters its masked form shows (`id_tail`) or
    by its keyed hash. A Chinese name is matched anywhere in the name as a
    prefix of the name or of its suffixes, so a one- or two-character term is
    a range too (no trigram index can serve those).
    """
    from django.core.exceptions import ValidationError

    from core.identity import id_hash, normalise_code, normalise_text, parse_resident_id

    text = normalise_text(q)
    if not text:
        return qs
    code = normalise_code(q)
    if len(code) == 18:
        try:
            return _matching(qs, Q(id_hash=id_hash(parse_resident_id(code).number)))
        except ValidationError:
            pass
    id_tail = len(code) == 4 and code[:-1].isdigit() and (code[-1].isdigit() or code[-1] == "X")
    if code.isdigit() or id_tail:
        keys = [Q(id_tail=code)] if id_tail else []
        if code.isdigit():
            tail = phone_key(code)
            keys += [_prefix(qs, "phone_tail", tail), _prefix(qs, "phone2_tail", tail)]
        return _matching(qs, *keys)
    lowered = code.lower()
    if lowered.isascii() and lowered.isalpha():
        found = _matching(qs, _prefix(qs, "name_initials", lowered), _prefix(qs, "name_pinyin", lowered))
        return _pinyin_from(found, lowered[0])
    return _matching(
        qs,
        *(_prefix(qs, field, text) for field in ("name", "name_suffix1", "name_suffix2")),
        # Further in: only names of four or more characters, the partial index's rows.
        Q(name_suffix3__gt="", name_suffix3__contains=text),
    )


def search_by_resident(qs: QuerySet[Any], text: str, *, path: str = "person", also: Q | None = None) -> QuerySet[Any]:
    """`qs` narrowed to the rows whose resident (at `path`) the residents
    list's search finds (search_persons: name anywhere, pinyin, initials,
    phone tail, ID tail, whole ID), or that match `also`, the list's own
    fields. Every list of records about residents searches them this way, so
    "zs" finds 张三 on the cases, needs and cards as on the residents. The
    residents come from one subquery over their key indexes; the rows' scope
    stays the caller's queryset."""
    if not identity.normalise_text(text):
        return qs
    found = Q(**{f"{path}__in": search_persons(Person.objects.all(), text).order_by().values("pk")})
    return qs.filter(found | also if also is not None else found)


def _matching(qs: QuerySet[Person], *keys: Q) -> QuerySet[Person]:
    """`qs` narrowed to the residents of any of the key ranges.

    PostgreSQL takes the ranges ORed beside the scope: it ORs the index
    bitmaps and reads each matching row once (a `pk IN (…)` made it join the
    ranges to a read of every row). SQLite gets one `pk IN (range UNION
    range …)`: the ranges read their indexes alone, and the scope and the
    list's filters then look at those rows only; with the ranges ORed beside
    the scope, its planner (without statistics) walks the unit index instead
    and reads every row of the user's subtree."""
    if connections[qs.db].vendor == "postgresql":
        return qs.filter(reduce(or_, keys))
    first, *more = (Person.objects.filter(key).order_by().values("pk") for key in keys)
    return qs.filter(pk__in=first.union(*more) if more else first)


def _pinyin_from(qs: QuerySet[Person], letter: str) -> QuerySet[Person]:
    """On PostgreSQL, the bound `name_pinyin >= letter`, true of every match
    (initials start with the first syllable's letter, so both keys start
    alike; a string is never below its own prefix): the list's order column
    gets a range, so a first page walks the pinyin index from the letter on.
    Without it the planner, taking the matches for spread evenly, walked the
    index from "a" past 85,000 residents to reach 'zhang'."""
    if connections[qs.db].vendor != "postgresql":
        return qs
    return qs.filter(name_pinyin__gte=letter)


def _prefix(qs: QuerySet[Any], field: str, key: str) -> Q:
    """`field` starts with `key`, as an index range. PostgreSQL ranges a LIKE
    'key%' on the column's pattern index whatever the database's collation;
    on SQLite, whose LIKE ignores case and so never uses an index, it is
    `key <= field < key'`, key' being key with its last character moved one
    up: text compares byte by byte there (UTF-8 keeps code point order)."""
    if connections[qs.db].vendor == "postgresql":
        return Q(**{f"{field}__startswith": key})
    return Q(**{f"{field}__gte": key, f"{field}__lt": key[:-1] + chr(ord(key[-1]) + 1)})


def filter_persons(
    qs: QuerySet[Person],
    *,
    q: str = "",
    community: Any = None,
    category: Any = None,
    tag: Any = None,
    age_band: str = "",
    card: str = "",
    status: str = "",
    today: dt.date | None = None,
    include_inactive: bool = False,
) -> QuerySet[Person]:
    from people import rules
    from people.hub import NOT_GRADED

    today = today or timezone.localdate()
    if status:  # moved away, deceased, service ended: off the lists, still on file
        qs = qs.filter(status=status, is_active=False)
    elif not include_inactive:
        qs = qs.filter(is_active=True)
    if card == NOT_GRADED:
        qs = qs.filter(grade__isnull=True)
    elif card:
        qs = qs.filter(grade__card=card)
    if community:
        qs = qs.filter(unit=community)
    for cat in (category, tag):
        if cat:
            held = PersonCategory.objects.filter(category=cat, start_date__lte=today).filter(
                Q(end_date__isnull=True) | Q(end_date__gte=today)
            )
            qs = qs.filter(pk__in=held.values("person_id"))
    if age_band in rules.AGE_BANDS:
        lo, hi = rules.AGE_BANDS[age_band]
        if lo is not None:
            qs = qs.filter(birth_date__lte=_years_before(today, lo))
        if hi is not None:
            qs = qs.filter(birth_date__gt=_years_before(today, hi + 1))
    return search_persons(qs, q)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
