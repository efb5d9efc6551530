from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from contracts.models import Contract, Kpi, KpiTarget, PurchaserKind
from core.access import Perm, require, require_unit_in_scope, unit_in_scope
from core.roles import Level

_FIELDS = ("name", "number", "purchaser", "purchaser_kind", "agency", "start", "end", "budget")


def _check(
    *, actor: Any, unit: Any, start: dt.date, end: dt.date, budget: Decimal, purchaser_kind: str, stations: list[Any]
) -> None:
    errors: dict[str, str] = {}
    if start and end and end < start:
        errors["end"] = _("The contract period ends before it starts.")
    if budget is not None and budget < 0:
        errors["budget"] = _("The budget cannot be negative.")
    if purchaser_kind not in PurchaserKind.values:
        errors["purchaser_kind"] = _("Choose who purchases the service.")
    if not stations:
        errors["stations"] = _("Choose at least one station.")
    for station in stations:
        if station.level != Level.STATION or not unit_in_scope(actor, station):
            errors["stations"] = _("%(name)s is not a station you manage.") % {"name": station.name}
        elif not unit.contains(station):
            errors["stations"] = _("%(name)s lies outside the purchasing unit.") % {"name": station.name}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def contract_create(
    *,
    actor: Any,
    unit: Any,
    name: str,
    purchaser: str,
    purchaser_kind: str,
    agency: Any,
    start: dt.date,
    end: dt.date,
    budget: Decimal,
    stations: list[Any],
    number: str = "",
) -> Contract:
    require(actor, Perm.CONTRACT_MANAGE)
    require_unit_in_scope(actor, unit)
    stations = list(stations)
    _check(
        actor=actor, unit=unit, start=start, end=end, budget=budget, purchaser_kind=purchaser_kind, stations=stations
    )
    contract = Contract(
        unit=unit,
        name=name,
        number=number,
        purchaser=purchaser,
        purchaser_kind=purchaser_kind,
        agency=agency,
        start=start,
        end=end,
        budget=budget,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    contract.full_clean(exclude=["created_by"])
    contract.save()
    contract.stations.set(stations)
    after = {**snapshot(contract, _FIELDS), "stations": sorted(s.name for s in stations)}
    audit_record(actor=actor, action=Action.CONTRACT_CREATE, target=contract, changes=diff({}, after))
    return contract


@transaction.atomic
def contract_update(*, actor: Any, contract: Contract, stations: list[Any] | None = None, **fields: Any) -> Contract:
    require(actor, Perm.CONTRACT_MANAGE)
    require_unit_in_scope(actor, contract.unit)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    before = {**snapshot(contract, _FIELDS), "stations": sorted(s.name for s in contract.stations.all())}
    for key, value in fields.items():
        if key not in _FIELDS:
            raise ValidationError({key: _("This field cannot be changed here.")})
        setattr(contract, key, value)
    new_stations = list(stations) if stations is not None else list(contract.stations.all())
    _check(
        actor=actor,
        unit=contract.unit,
        start=contract.start,
        end=contract.end,
        budget=contract.budget,
        purchaser_kind=contract.purchaser_kind,
        stations=new_stations,
    )
    contract.full_clean(exclude=["created_by"])
    contract.save()
    if stations is not None:
        contract.stations.set(new_stations)
        KpiTarget.objects.filter(contract=contract).exclude(unit__in=[s.pk for s in new_stations]).delete()
    after = {**snapshot(contract, _FIELDS), "stations": sorted(s.name for s in new_stations)}
    audit_record(actor=actor, action=Action.CONTRACT_UPDATE, target=contract, changes=diff(before, after))
    return contract


@transaction.atomic
def targets_set(*, actor: Any, contract: Contract, unit: Any, values: dict[str, Decimal | None]) -> list[KpiTarget]:
    """Set a station's targets: {kpi code: value}; None removes a target."""
    require(actor, Perm.CONTRACT_MANAGE)
    require_unit_in_scope(actor, unit)
    require_unit_in_scope(actor, contract.unit)
    if not contract.stations.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("The contract does not cover %(name)s.") % {"name": unit.name}})
    catalogue = {k.code: k for k in Kpi.objects.all()}
    errors = {}
    for code, value in values.items():
        if code not in catalogue:
            errors[code] = _("Unknown KPI.")
        elif value is not None and value < 0:
            errors[code] = _("A target cannot be below zero.")
    if errors:
        raise ValidationError(errors)
    existing = {t.kpi.code: t for t in KpiTarget.objects.filter(contract=contract, unit=unit).select_related("kpi")}
    before = {code: str(t.target) for code, t in existing.items()}
    for code, value in values.items():
        if value is None:
            if code in existing:
                existing.pop(code).delete()
            continue
        target = existing.get(code) or KpiTarget(contract=contract, unit=unit, kpi=catalogue[code])
        target.target = value
        target.save()
        existing[code] = target
    after = {code: str(t.target) for code, t in existing.items()}
    audit_record(actor=actor, action=Action.CONTRACT_TARGETS, target=contract, unit=unit, changes=diff(before, after))
    return list(existing.values())
