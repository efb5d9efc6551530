"""Scoped reads for the printed forms: each through the selectors of the area
the record belongs to (core/access.py scoping), with what the forms print
fetched in a fixed number of queries however many records a batch holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from casework import selectors as casework_selectors
from casework.models import ActivitySignup
from core.access import under, unit_subtree
from core.roles import Level
from grading import selectors as grading_selectors
from people import selectors as people_selectors
from people.models import PersonCategory
from workrecords.models import JointMeeting, Supervision
from workrecords.selectors import records_visible


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first day of the month and the first day of the next."""
    start = month.replace(day=1)
    return start, (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def print_units(user: Any) -> QuerySet[Any]:
    """The stations and communities the user may print for."""
    return (
        unit_subtree(user).filter(level__in=[Level.STATION, Level.COMMUNITY]).select_related("parent").order_by("path")
    )


def _members(user: Any) -> QuerySet[Any]:
    return (
        people_selectors.persons_visible(user)
        .select_related("grade")
        .prefetch_related(
            Prefetch("categories", queryset=PersonCategory.objects.select_related("category")),
            "guardians",
            "consents",
        )
        .order_by("household_id", "birth_date", "id")
    )


def households(user: Any) -> QuerySet[Any]:
    return people_selectors.households_visible(user).select_related(
        "unit__parent__parent", "unit__parent__agency", "unit__agency"
    )


def household_parts(user: Any, hhs: list[Any]) -> tuple[list[Any], list[Any]]:
    """The members of these household files and their visits, newest first."""
    ids = [h.pk for h in hhs]
    members = list(_members(user).filter(household_id__in=ids))
    visits = list(
        grading_selectors.visits_visible(user)
        .filter(person__household_id__in=ids)
        .select_related("person", "visitor")
        .order_by("-visited_on", "-id")
    )
    return members, visits


def households_under(user: Any, unit: Any) -> QuerySet[Any]:
    return under(households(user), unit).order_by("unit__path", "address", "id")


def cases(user: Any) -> QuerySet[Any]:
    return (
        casework_selectors.case_detail_qs(user)
        .select_related(
            "unit__parent__parent", "unit__parent__agency", "unit__agency", "person__household", "person__grade"
        )
        .prefetch_related(
            Prefetch("person__categories", queryset=PersonCategory.objects.select_related("category")),
            "person__guardians",
        )
    )


def cases_open_in(user: Any, unit: Any, month: dt.date) -> QuerySet[Any]:
    """Cases under the unit that were open at some time in the month."""
    start, end = month_bounds(month)
    qs = cases(user).filter(opened_on__lt=end).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    return under(qs, unit).order_by("opened_on", "id")


def assessments_of(user: Any, person_ids: list[int]) -> dict[int, list[Any]]:
    """Each person's assessments (评估记录), newest first."""
    found: dict[int, list[Any]] = {}
    qs = (
        grading_selectors.assessments_visible(user)
        .filter(person_id__in=person_ids)
        .select_related("version__instrument", "assessor")
        .order_by("-assessed_on", "-id")
    )
    for a in qs:
        found.setdefault(a.person_id, []).append(a)
    return found


def activities(user: Any) -> QuerySet[Any]:
    return (
        casework_selectors.activities_visible(user)
        .select_related("unit__parent__parent", "unit__parent__agency", "unit__agency", "room__venue")
        .prefetch_related(
            Prefetch(
                "signups",
                queryset=ActivitySignup.objects.select_related("person__household", "volunteer").prefetch_related(
                    Prefetch("person__categories", queryset=PersonCategory.objects.select_related("category")),
                    "person__guardians",
                ),
            ),
            "signins",
        )
    )


def activities_in(user: Any, unit: Any, month: dt.date) -> QuerySet[Any]:
    start, end = month_bounds(month)
    qs = activities(user).filter(starts_at__date__gte=start, starts_at__date__lt=end).exclude(status="cancelled")
    return under(qs, unit).order_by("starts_at", "id")


def _records(user: Any, model: type[Any]) -> QuerySet[Any]:
    return records_visible(user, model).select_related(
        "unit__parent__parent", "unit__parent__agency", "unit__agency", "recorded_by"
    )


def joint_meetings(user: Any) -> QuerySet[Any]:
    return _records(user, JointMeeting)


def supervisions(user: Any) -> QuerySet[Any]:
    return _records(user, Supervision)


def records_in(qs: QuerySet[Any], unit: Any, month: dt.date) -> QuerySet[Any]:
    start, end = month_bounds(month)
    return under(qs.filter(date__gte=start, date__lt=end), unit).order_by("date", "id")
