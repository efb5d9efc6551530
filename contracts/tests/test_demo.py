"""The demo is plausible: targets fit what it records, activities happen in
local working sessions, organisations sit all over the district."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 20, 2, tzinfo=dt.UTC)  # 10:00 in Quanzhou


def test_it_seeds_a_plausible_district_once(db: Any) -> None:
    from casework.models import Activity
    from contracts.models import Contract, KpiTarget
    from contracts.progress import contract_progress, period_for
    from home.demo import load
    from partners.models import CommunityOrganisation

    with time_machine.travel(NOW, tick=False):
        load()
        targets = list(KpiTarget.objects.order_by("pk").values_list("unit_id", "kpi__code", "target"))
        load()
        assert list(KpiTarget.objects.order_by("pk").values_list("unit_id", "kpi__code", "target")) == targets
        contract = Contract.objects.get()
        stations = list(contract.stations.order_by("path"))
        rows = contract_progress(contract, stations, period_for("contract", timezone.localdate(), contract))
        quarter = contract_progress(contract, stations, period_for("quarter", timezone.localdate(), contract))
    # Volunteers signed up over the past year, not all on the day the demo loaded.
    recruited = [c for r in quarter for c in r.cells if c.kpi.code == "volunteers_recruited" and c.expected]
    assert recruited and all(
        (value := c.actual.value) is not None and (expected := c.expected) and value / expected <= 2 for c in recruited
    )
    paces = [
        value / expected
        for r in rows
        for c in r.cells
        if (expected := c.expected) and (value := c.actual.value) is not None
    ]
    assert len(paces) > 90 and all(0.55 <= p <= 1.15 for p in paces)
    behind = [r.unit for r in rows if r.behind]
    assert 1 <= len(behind) <= 3 and all(len(r.behind_kpis) <= 4 for r in rows)
    sessions = [(dt.time(9), dt.time(11, 30)), (dt.time(14, 30), dt.time(17)), (dt.time(19), dt.time(20, 30))]
    for a in Activity.objects.all():
        start, end = timezone.localtime(a.starts_at), timezone.localtime(a.ends_at)
        assert start.date() == end.date()
        assert any(lo <= start.time() and end.time() <= hi for lo, hi in sessions), (start, end)
    placed = set(CommunityOrganisation.objects.values_list("unit__parent_id", flat=True))
    assert CommunityOrganisation.objects.count() == 16 and placed == {s.pk for s in stations}
