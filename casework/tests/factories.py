"""Factories for casework tests (other areas may use them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from core.models import ServiceDomain
from people.tests.factories import PersonFactory


def domain(code: str = "elderly") -> ServiceDomain:
    return ServiceDomain.objects.get(code=code)


def open_case(actor: Any, *, person: Any = None, unit: Any = None, **kw: Any) -> Any:
    from casework.services import case_create

    person = person or PersonFactory(unit=unit)
    args: dict[str, Any] = {"domain": domain(), "title": "独居老人情绪低落", "opened_on": dt.date(2026, 11, 2)}
    args.update(kw)
    return case_create(actor=actor, person=person, **args)


def case_in_intervention(actor: Any, approver: Any, **kw: Any) -> Any:
    """A case whose plan has been approved (stage intervention)."""
    from casework.services import case_goal_add, case_move, case_service_plan

    case = open_case(actor, **kw)
    case_move(actor=actor, case=case, action="assess")
    case_move(actor=actor, case=case, action="draft_plan")
    case_goal_add(actor=actor, case=case, text="每周外出社交一次")
    case_service_plan(actor=actor, case=case, description="每周电话关怀", frequency="每周")
    case_move(actor=actor, case=case, action="submit_plan")
    return case_move(actor=approver, case=case, action="approve_plan", comment="同意")
