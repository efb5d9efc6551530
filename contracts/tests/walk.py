"""URL-walk entries for contracts (see tests/leakwalk.py): a contract that
covers only station B, with the CANARY in its name."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from tests.leakwalk import CANARY, Walk


def _contract(w: Walk) -> Any:
    from django.core.files.base import ContentFile

    from contracts.models import Contract, Kpi, KpiTarget
    from orgs.models import OperatingAgency

    def make() -> Any:
        agency = OperatingAgency.objects.create(unit=w.tree.district, name=f"{CANARY}合同机构")
        contract = Contract.objects.create(
            unit=w.tree.district,
            name=CANARY,
            purchaser=CANARY,
            purchaser_kind="street_office",
            agency=agency,
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 12, 31),
            budget=Decimal(1),
        )
        contract.stations.set([w.tree.station_b])
        contract.signed_file_name, contract.signed_file_type = "c.pdf", "application/pdf"
        contract.signed_file.save("c.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
        KpiTarget.objects.create(
            contract=contract, unit=w.tree.station_b, kpi=Kpi.objects.get(code="volunteer_hours"), target=1
        )
        return contract

    return w.once("contract", make)


def _tranche(w: Walk) -> Any:
    from contracts.models import PaymentTranche

    return w.once(
        "tranche",
        lambda: PaymentTranche.objects.create(
            contract=_contract(w), due_on=dt.date(2026, 6, 30), amount=Decimal(1), condition=CANARY
        ),
    )


def _evaluation(w: Walk) -> Any:
    from django.core.files.base import ContentFile

    from contracts.models import ContractEvaluation

    def make() -> Any:
        e = ContractEvaluation(
            contract=_contract(w),
            kind="mid",
            date=dt.date(2026, 6, 30),
            evaluator=CANARY,
            conclusion=CANARY,
            file_name="e.pdf",
            file_type="application/pdf",
        )
        e.file.save("e.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        e.save()
        return e

    return w.once("evaluation", make)


def kwargs() -> dict[str, Callable[[Walk], Any]]:
    return {
        "tranche_id": lambda w: _tranche(w).pk,
        "contract_evaluation_id": lambda w: _evaluation(w).pk,
        "contract_id": lambda w: _contract(w).pk,
        # station_id (station B) comes from grading's walk, which also plants its rule there
        "kpi": lambda w: "volunteer_hours",
    }


def populators() -> list[Callable[[Walk], Any]]:
    return [_contract, _tranche, _evaluation]
