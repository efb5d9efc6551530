"""A 2026 contract covering the demo district's stations. Targets are
calibrated on what the demo actually recorded, so that the stations sit
around 95–108 % of their pro-rated progress and two lag on a few KPIs (as a
guidance centre would see it); where nothing is recorded yet, the Xihu Road
seed's shape (9 cases, 350 key visits, 100 activities, ~15,700 person-times,
16 organisations …), smaller for smaller stations, stands in."""

from __future__ import annotations

import datetime as dt
import random
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
    codes = [c for c in XIHU if c in kpis]
    missing = len(existing) < len(stations) * len(codes)
    elapsed, figures = _recorded(contract, stations, codes) if missing else (Decimal(0), {})
    new = []
    for index, station in enumerate(stations):
        scale = Decimal(1) if index == 0 else Decimal(50 + 5 * index) / 100
        for code, value in XIHU.items():
            if (station.pk, code) in existing or code not in kpis:
                continue
            level = kpis[code].kind == "level"
            fallback = Decimal(value) if level else (Decimal(value) * scale).quantize(Decimal(1))
            recorded = figures.get(code, {}).get(station.pk)
            target = _calibrated(code, level, recorded, elapsed, _pace(station, index, code)) if recorded else fallback
            new.append(KpiTarget(contract=contract, unit=station, kpi=kpis[code], target=target))
    KpiTarget.objects.bulk_create(new)
    _purchaser_records(contract)
    ctx.data["contract"] = contract


def _purchaser_records(contract: Any) -> None:
    """The purchaser's tranches (40% on signing, 30% after the mid-term
    evaluation, 30% after the final one) and the mid-term evaluation."""
    from contracts.models import ContractEvaluation, PaymentTranche

    if PaymentTranche.objects.filter(contract=contract).exists():
        return
    share = contract.budget / 10
    PaymentTranche.objects.bulk_create(
        [
            PaymentTranche(
                contract=contract,
                due_on=dt.date(2026, 1, 31),
                amount=share * 4,
                condition="合同签订后",
                paid_on=dt.date(2026, 2, 6),
            ),
            PaymentTranche(
                contract=contract,
                due_on=dt.date(2026, 7, 31),
                amount=share * 3,
                condition="中期评估合格后",
                paid_on=dt.date(2026, 8, 12),
            ),
            PaymentTranche(
                contract=contract, due_on=dt.date(2026, 12, 31), amount=share * 3, condition="末期评估合格后"
            ),
        ]
    )
    ContractEvaluation.objects.create(
        contract=contract,
        kind="mid",
        date=dt.date(2026, 7, 15),
        evaluator="泉州市社会工作评估中心",
        score=Decimal("86.5"),
        conclusion="项目按计划推进，服务台账规范；建议加强个案服务深度与资源链接记录。",
    )


# Two stations lag on a few KPIs; everyone else is on track.
LAGGING = {3: {"activities", "person_times", "resources_rmb"}, 6: {"key_visits", "volunteer_hours", "cases"}}


def _pace(station: Any, index: int, code: str) -> Decimal:
    """The share of its pro-rated target a station has reached on `code`."""
    rng = random.Random(f"contracts-{station.code}-{code}")
    if code in LAGGING.get(index, ()):
        return Decimal(rng.randint(62, 78)) / 100
    return Decimal(rng.randint(95, 108)) / 100


def _recorded(contract: Any, stations: list[Any], codes: list[str]) -> tuple[Decimal, dict[str, dict[int, Any]]]:
    """The share of the contract period elapsed, and what each station has
    recorded so far in it (counted as every page counts it)."""
    from django.utils import timezone

    from contracts.actuals import actuals_per_unit
    from contracts.progress import measured_range, period_for

    today = timezone.localdate()
    span = measured_range(contract, period_for("contract", today, contract), today)
    if span is None:
        return Decimal(0), {}
    elapsed = Decimal((span[1] - span[0]).days + 1) / ((contract.end - contract.start).days + 1)
    return elapsed, {code: actuals_per_unit(code, stations, *span)[1] for code in codes}


def _calibrated(code: str, level: bool, recorded: Decimal, elapsed: Decimal, pace: Decimal) -> Decimal:
    """A target that `recorded` reaches at `pace` of its pro-rated share."""
    if level:  # a rate or a standing count, compared as it is
        target = (recorded / pace).quantize(Decimal(1))
        return min(target, Decimal(100)) if code in RATES else max(target, Decimal(1))
    whole = recorded / elapsed / pace
    if code == "resources_rmb":  # budgets are planned in hundreds of yuan
        return (whole / 100).quantize(Decimal(1)) * 100
    return max(whole.quantize(Decimal(1)), Decimal(1))


RATES = {"monthly_visit_rate", "satisfaction"}
