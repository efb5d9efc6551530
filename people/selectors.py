"""Scoped reads of residents and household files."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core.access import scope
from people.models import CategoryGroup, CategoryType, Household, Person, PersonCategory


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


def search_persons(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    """Name, full pinyin, pinyin initials (`zs` → 张三), phone tail or ID tail."""
    from core.identity import normalise_code, normalise_text

    text = normalise_text(q)
    if not text:
        return qs
    code = normalise_code(q)
    if code.isdigit() or (len(code) == 4 and code[:-1].isdigit() and code[-1] == "X"):
        cond = Q(phone__endswith=code) | Q(phone2__endswith=code)
        if len(code) <= 4:
            cond |= Q(id_tail__endswith=code)
        return qs.filter(cond)
    lowered = code.lower()
    if lowered.isascii() and lowered.isalpha():
        return qs.filter(Q(name_initials__startswith=lowered) | Q(name_pinyin__startswith=lowered))
    return qs.filter(name__contains=text)


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
