"""URL-walk entries for projects (see tests/leakwalk.py): a project of
station B with CANARY in its name, a budget line and an expenditure with its
receipt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tests.leakwalk import CANARY, Walk


def _project(w: Walk) -> Any:
    from projects.models import Project

    return w.once(
        "project",
        lambda: Project.objects.create(
            unit=w.tree.station_b,
            name=CANARY,
            description=CANARY,
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
        ),
    )


def _line(w: Walk) -> Any:
    from projects.models import BudgetLine

    return w.once("budget_line", lambda: BudgetLine.objects.create(project=_project(w), name=CANARY, amount=100))


def _expenditure(w: Walk) -> Any:
    from django.core.files.base import ContentFile

    from projects.models import Expenditure

    def make() -> Any:
        e = Expenditure(
            project=_project(w),
            line=_line(w),
            spent_on=dt.date(2026, 3, 1),
            amount=Decimal(10),
            payee=CANARY,
            purpose=CANARY,
            receipt_name="r.pdf",
            receipt_type="application/pdf",
        )
        e.receipt.save("r.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        e.save()
        return e

    return w.once("expenditure", make)


def kwargs() -> dict[str, Callable[[Walk], Any]]:
    return {
        "project_id": lambda w: _project(w).pk,
        "line_id": lambda w: _line(w).pk,
        "expenditure_id": lambda w: _expenditure(w).pk,
        "fmt": lambda w: "xlsx",
    }


def populators() -> list[Callable[[Walk], Any]]:
    return [_project, _expenditure]
