from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from core.access import scope, unit_subtree
from orgs.models import OperatingAgency, OrgUnit


def units_visible(user: Any) -> QuerySet[OrgUnit]:
    return unit_subtree(user).select_related("parent", "agency")


def units_with_counts(user: Any) -> QuerySet[OrgUnit]:
    return units_visible(user).annotate(
        n_children=Count("children", distinct=True), n_staff=Count("staff", distinct=True)
    )


def agencies_visible(user: Any) -> QuerySet[OperatingAgency]:
    # Agencies are registered at the district; a station user sees its own.
    from django.db.models import Q

    subtree = unit_subtree(user)
    return (
        OperatingAgency.objects.filter(Q(unit__in=subtree.values("id")) | Q(stations__in=subtree.values("id")))
        .distinct()
        .select_related("unit")
    )


def agencies_manageable(user: Any) -> QuerySet[OperatingAgency]:
    return scope(OperatingAgency.objects.all(), user).select_related("unit")
