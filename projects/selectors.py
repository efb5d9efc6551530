"""Scoped reads of service projects, their budgets and expenditures."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from core.access import scope, unit_subtree
from projects.models import BudgetLine, Expenditure, ExpenditureStatus, Project


def projects_visible(user: Any) -> QuerySet[Project]:
    """Projects of the user's unit and the units below it."""
    return scope(Project.objects.all(), user).select_related("unit", "domain")


def projects_linkable(user: Any) -> QuerySet[Project]:
    """The projects a record the user files may belong to: those in scope and
    those of the units above the user (a community worker's station project,
    the district's). Names only; the project page stays in scope."""
    subtree = unit_subtree(user)
    if subtree.query.is_empty():
        return Project.objects.none()
    above = [u.pk for u in user.unit.ancestors()]
    return (
        Project.objects.filter(Q(unit__in=subtree.values("id")) | Q(unit__in=above))
        .select_related("unit")
        .order_by("unit__path", "-starts_on", "name")
    )


def budget_lines_of(project: Project) -> QuerySet[BudgetLine]:
    return project.budget_lines.all()


def expenditures_visible(user: Any) -> QuerySet[Expenditure]:
    return scope(Expenditure.objects.all(), user, "project__unit").select_related("project__unit", "line")


def expenditures_pending(user: Any) -> QuerySet[Expenditure]:
    return expenditures_visible(user).filter(status=ExpenditureStatus.PENDING)
