"""Service projects (read only): the list in scope and one project with its
figures, budget and spending (projects.figures counts them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from api.params import Id, PageParams, paginate
from core.access import Perm, get_in_scope_or_404, require
from projects import figures
from projects.selectors import projects_visible

router = Router(tags=["projects"])


class ProjectOut(Schema):
    id: int
    unit_id: int
    name: str
    domain_id: int | None
    starts_on: dt.date
    ends_on: dt.date
    is_brand: bool
    goals: str
    description: str
    target_person_times: int | None
    target_activities: int | None
    target_households: int | None
    target_raised: Decimal | None


class ProjectPage(Schema):
    count: int
    page: int
    pages: int
    items: list[ProjectOut]


class BudgetLineOut(Schema):
    id: int
    name: str
    budget: Decimal
    spent: Decimal
    pending: Decimal
    left: Decimal


class ProjectFiguresOut(Schema):
    start: dt.date
    end: dt.date
    person_times: int
    activities: int
    households: int
    raised: Decimal
    spent: Decimal
    budget: Decimal
    pending: Decimal


class ProjectDetailOut(ProjectOut):
    figures: ProjectFiguresOut
    budget_lines: list[BudgetLineOut]


@router.get("/projects", response=ProjectPage)
def list_projects(request: HttpRequest, paging: Query[PageParams], q: str = "") -> dict:
    require(request.user, Perm.VIEW)
    qs = projects_visible(request.user).order_by("-starts_on", "name", "id")
    if q:
        qs = qs.filter(name__contains=q)
    return paginate(qs, paging)


@router.get("/projects/{project_id}", response=ProjectDetailOut)
def get_project(request: HttpRequest, project_id: Id) -> dict[str, Any]:
    require(request.user, Perm.VIEW)
    project = get_in_scope_or_404(projects_visible(request.user), request.user, pk=project_id)
    start, end = figures.period_of(project)
    figs = figures.figures(project, start, end)
    money = figures.money(project)
    out = ProjectOut.from_orm(project).dict()
    out["figures"] = {
        "start": start,
        "end": end,
        "person_times": figs.person_times,
        "activities": figs.activities,
        "households": figs.households,
        "raised": figs.raised,
        "spent": money.spent,
        "budget": money.budget,
        "pending": money.pending,
    }
    out["budget_lines"] = [
        {
            "id": r["line"].pk,
            "name": r["line"].name,
            "budget": r["budget"],
            "spent": r["spent"],
            "pending": r["pending"],
            "left": r["left"],
        }
        for r in money.lines
    ]
    return out
