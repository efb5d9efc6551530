"""A 2026 contract covering the demo district's stations, with targets
shaped like the Xihu Road seed (9 cases, 350+ key visits, 100+ activities,
~15,700 person-times, 16 organisations …), smaller for smaller stations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from core.demo import DemoContext

XIHU = {
    "cases": 9,
    "key_visits": 350,
    "activities": 100,
    "groups": 6,
    "person_times": 15700,
    "unique_persons": 1200,
    "organisations": 16,
    "organisation_members": 429,
    "volunteers_recruited": 60,
    "volunteer_hours": 3000,
    "resources_rmb": 160000,
    "monthly_visit_rate": 100,
    "satisfaction": 90,
}
NAME = "2026年度鲤城区街道社工站运营服务项目"


def seed(ctx: DemoContext) -> None:
    from contracts.models import Contract, Kpi, KpiTarget

    district = ctx.data["district"]
    stations: list[Any] = ctx.data["stations"]
    contract = Contract.objects.filter(name=NAME).first()
    if contract is None:
        contract = Contract.objects.create(
            unit=district,
            name=NAME,
            number="LCMZ-2026-017",
            purchaser="泉州市鲤城区民政局",
            purchaser_kind="civil_affairs",
            agency=stations[0].agency,
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 12, 31),
            budget=Decimal("2400000"),
        )
        contract.stations.set(stations)
    kpis = {k.code: k for k in Kpi.objects.all()}
    existing = set(KpiTarget.objects.filter(contract=contract).values_list("unit_id", "kpi__code"))
    new = []
    for index, station in enumerate(stations):
        scale = Decimal(1) if index == 0 else Decimal(50 + 5 * index) / 100
        for code, value in XIHU.items():
            if (station.pk, code) in existing or code not in kpis:
                continue
            level = kpis[code].kind == "level"
            target = Decimal(value) if level else (Decimal(value) * scale).quantize(Decimal(1))
            new.append(KpiTarget(contract=contract, unit=station, kpi=kpis[code], target=target))
    KpiTarget.objects.bulk_create(new)
    ctx.data["contract"] = contract
