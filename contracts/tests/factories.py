from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from contracts.models import Contract, Kpi, KpiTarget
from orgs.models import OperatingAgency


def contract_for(
    stations: list[Any], *, unit: Any, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), **kw: Any
) -> Contract:
    agency, _ = OperatingAgency.objects.get_or_create(unit=unit, name="鲤城区同心社工服务中心")
    contract = Contract.objects.create(
        unit=unit,
        name=kw.pop("name", "2026年社工站运营服务"),
        purchaser="鲤城区民政局",
        purchaser_kind="civil_affairs",
        agency=agency,
        start=start,
        end=end,
        budget=Decimal("800000"),
        **kw,
    )
    contract.stations.set(stations)
    return contract


def target(contract: Contract, unit: Any, code: str, value: Any) -> KpiTarget:
    return KpiTarget.objects.create(contract=contract, unit=unit, kpi=Kpi.objects.get(code=code), target=Decimal(value))
