"""What the URL walk (tests/leakwalk.py) needs from the incubation pages: a
station-B organisation's member, log entry and stage change, carrying CANARY."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


def _incubation_b(w: Any) -> Any:
    def make() -> Any:
        from partners.models import CommunityOrganisation, IncubationEntry, OrganisationMember, StageChange
        from tests.leakwalk import CANARY

        o = CommunityOrganisation.objects.create(unit=w.tree.b1, name=f"{CANARY}孵化社", leader=CANARY)
        IncubationEntry.objects.create(organisation=o, kind="training", date=dt.date(2026, 1, 5), notes=CANARY)
        StageChange.objects.create(
            organisation=o, from_stage="planning", to_stage="incubating", date=dt.date(2026, 1, 6), notes=CANARY
        )
        return OrganisationMember.objects.create(organisation=o, name=f"{CANARY}成员", role=CANARY)

    return w.once("incubation_b", make)


def kwargs() -> dict[str, Callable[[Any], Any]]:
    return {"member_id": lambda w: _incubation_b(w).pk}


def populators() -> list[Callable[[Any], Any]]:
    return [_incubation_b]
