from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from projects import services
from projects.models import BudgetLine, Project


def project_for(actor: Any, unit: Any, **kw: Any) -> Project:
    args: dict[str, Any] = {
        "name": "乐童公社",
        "starts_on": dt.date(2026, 1, 1),
        "ends_on": dt.date(2026, 12, 31),
    }
    args.update(kw)
    return services.project_create(actor=actor, unit=unit, **args)


def line_for(actor: Any, project: Project, amount: Decimal | int = 1000, name: str = "物料") -> BudgetLine:
    return services.budget_line_add(actor=actor, project=project, name=name, amount=Decimal(amount))
