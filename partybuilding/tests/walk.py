"""What the URL walk (tests/leakwalk.py) needs from the Party-building pages:
a station-B Party organisation, agreement and commitment, carrying CANARY."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


def _party_b(w: Any) -> dict[str, Any]:
    def make() -> dict[str, Any]:
        from partybuilding.models import Agreement, Commitment, PartyOrganisation
        from tests.leakwalk import CANARY

        org = PartyOrganisation.objects.create(unit=w.tree.b1, name=f"{CANARY}党支部", secretary=CANARY)
        agreement = Agreement.objects.create(
            unit=w.tree.station_b,
            organisation=org,
            partner=f"{CANARY}银行",
            partner_kind="bank",
            signed_on=dt.date(2026, 1, 5),
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2027, 12, 31),
            notes=CANARY,
        )
        commitment = Commitment.objects.create(agreement=agreement, content=CANARY, due_on=dt.date(2026, 2, 1))
        return {"org": org, "agreement": agreement, "commitment": commitment}

    return w.once("party_b", make)


def kwargs() -> dict[str, Callable[[Any], Any]]:
    return {
        "party_org_id": lambda w: _party_b(w)["org"].pk,
        "agreement_id": lambda w: _party_b(w)["agreement"].pk,
        "commitment_id": lambda w: _party_b(w)["commitment"].pk,
    }


def populators() -> list[Callable[[Any], Any]]:
    return [_party_b]
