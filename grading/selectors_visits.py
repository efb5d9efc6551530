"""Reads of the richer visit record: one visit with its photos and
co-visitors, the co-visitors a form may offer, and the visits of a community
and month for the batch print. Every read starts from a scoped selector."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet

from core.access import scope, within
from core.roles import Level
from grading.models import Companion, Visit, VisitPhoto
from grading.selectors import assignable_workers, visits_visible


def _with_record(qs: QuerySet[Visit]) -> QuerySet[Visit]:
    from people.models import PersonCategory

    return qs.select_related("person__household", "person__grade", "unit__parent").prefetch_related(
        Prefetch("person__categories", queryset=PersonCategory.objects.select_related("category")),
        Prefetch("photos", queryset=VisitPhoto.objects.order_by("id")),
        Prefetch("companions", queryset=Companion.objects.order_by("id")),
    )


def visit_record(user: Any) -> QuerySet[Visit]:
    """Visits in the user's scope with what the detail page and the printed
    record show."""
    return _with_record(visits_visible(user))


def photos_visible(user: Any) -> QuerySet[VisitPhoto]:
    return scope(VisitPhoto.objects.all(), user, field="visit__unit").select_related("visit")


def _station(unit: Any) -> Any:
    return unit.parent if unit.level == Level.COMMUNITY and unit.parent_id else unit


def companion_staff(user: Any, person: Any) -> QuerySet[Any]:
    """Staff who may come along: those who may follow the resident up (the
    same rule as the responsible worker), the user excepted."""
    return assignable_workers(user, person.unit).exclude(pk=getattr(user, "pk", None))


def companion_volunteers(user: Any, person: Any) -> QuerySet[Any]:
    """Volunteers of the registry living in the resident's station, in scope."""
    from volunteers.selectors import volunteers_visible

    return volunteers_visible(user).filter(within(_station(person.unit))).order_by("name", "id")


def companion_organisations(user: Any, person: Any) -> QuerySet[Any]:
    """Community organisations of the partners' registry in the resident's station, in scope."""
    from partners.selectors import organisations_visible

    return organisations_visible(user).filter(within(_station(person.unit))).order_by("name", "id")


def month_visits(user: Any, community: Any, month: dt.date) -> list[Visit]:
    """A community's visits of one month (month = its first day), oldest first."""
    end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    qs = visit_record(user).filter(unit=community, visited_on__gte=month, visited_on__lt=end)
    return list(qs.order_by("visited_on", "id"))


def print_communities(user: Any) -> QuerySet[Any]:
    """The communities whose visits the user may print."""
    from core.access import unit_subtree

    return unit_subtree(user).filter(level=Level.COMMUNITY).select_related("parent").order_by("path")
