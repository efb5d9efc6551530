"""Dashboards, contract progress and report generation over the API: thin
schemas over the same selectors and services as the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field

from api.params import Body, Id
from contracts.progress import check_period_kind, contract_progress, period_for
from contracts.selectors import contracts_visible, stations_of
from core.access import Perm, get_in_scope_or_404, require
from orgs.selectors import units_visible
from reports import services
from reports.dashboards import check_year, dashboard
from reports.selectors import jobs_visible

router = Router(tags=["reports"])


class FigureRow(Schema):
    unit_id: int
    name: str
    own_level: bool = Field(description="only the records filed at the unit itself (站本级), not below it")
    figures: dict[str, Decimal | None]


class DashboardOut(Schema):
    unit_id: int
    name: str
    start: dt.date
    end: dt.date
    rows: list[FigureRow]
    totals: dict[str, Decimal | None]
    unavailable: list[str]
    charts: list[dict[str, Any]]


@router.get("/dashboard/{unit_id}", response=DashboardOut)
def get_dashboard(request: HttpRequest, unit_id: Id, year: Annotated[int, Field(ge=0, le=9999)] = 0) -> dict[str, Any]:
    require(request.user, Perm.VIEW)
    check_year(year)
    unit = get_in_scope_or_404(units_visible(request.user), request.user, "id", pk=unit_id)
    data = dashboard(request.user, unit, year or timezone.localdate().year)
    table = data["table"]
    return {
        "unit_id": unit.pk,
        "name": unit.name,
        "start": data["start"],
        "end": data["end"],
        "rows": [{"unit_id": r.unit.pk, "name": r.label, "own_level": r.own, "figures": r.values} for r in table.rows],
        "totals": table.totals,
        "unavailable": sorted(table.unavailable),
        "charts": [{k: v for k, v in c.items() if k != "table"} for c in data["charts"]],
    }


class ContractOut(Schema):
    id: int
    name: str
    number: str
    purchaser: str
    purchaser_kind: str
    agency_id: int
    start: dt.date
    end: dt.date
    budget: Decimal


@router.get("/contracts", response=list[ContractOut])
def list_contracts(request: HttpRequest) -> list[Any]:
    require(request.user, Perm.VIEW)
    return list(contracts_visible(request.user))


class CellOut(Schema):
    kpi: str
    name: str
    target: Decimal | None
    expected: Decimal | None
    actual: Decimal | None
    available: bool
    behind: bool


class StationProgressOut(Schema):
    unit_id: int
    name: str
    behind: bool
    cells: list[CellOut]


class ProgressOut(Schema):
    contract_id: int
    period: str
    start: dt.date
    end: dt.date
    stations: list[StationProgressOut]


@router.get("/contracts/{contract_id}/progress", response=ProgressOut)
def get_progress(
    request: HttpRequest,
    contract_id: Id,
    period: str = "quarter",
    date: dt.date | None = None,
) -> dict[str, Any]:
    require(request.user, Perm.VIEW)
    check_period_kind(period)
    contract = get_in_scope_or_404(contracts_visible(request.user), request.user, "stations", pk=contract_id)
    span = period_for(period, date or timezone.localdate(), contract)
    rows = contract_progress(contract, list(stations_of(request.user, contract)), span)
    return {
        "contract_id": contract.pk,
        "period": span.kind,
        "start": span.start,
        "end": span.end,
        "stations": [
            {
                "unit_id": r.unit.pk,
                "name": r.unit.name,
                "behind": r.behind,
                "cells": [
                    {
                        "kpi": c.kpi.code,
                        "name": c.kpi.name,
                        "target": c.target,
                        "expected": c.expected,
                        "actual": c.actual.value,
                        "available": c.actual.available,
                        "behind": c.behind,
                    }
                    for c in r.cells
                ],
            }
            for r in rows
        ],
    }


class ReportIn(Body):
    unit_id: Id
    period_kind: str = Field(pattern="^(month|quarter|year)$")
    day: dt.date
    fmt: str = Field(pattern="^(xlsx|pdf)$")


class JobOut(Schema):
    id: int
    unit_id: int
    period_kind: str
    period_start: dt.date
    period_end: dt.date
    fmt: str
    status: str
    progress: int
    step: str
    download_url: str | None


def _job_out(job: Any) -> dict[str, Any]:
    from django.urls import reverse

    return {
        "id": job.pk,
        "unit_id": job.unit_id,
        "period_kind": job.period_kind,
        "period_start": job.period_start,
        "period_end": job.period_end,
        "fmt": job.fmt,
        "status": job.status,
        "progress": job.progress,
        "step": job.step,
        "download_url": reverse("reports:job_download", args=[job.pk]) if job.status == "done" else None,
    }


@router.post("/reports", response={201: JobOut})
def create_report(request: HttpRequest, payload: ReportIn) -> tuple[int, dict[str, Any]]:
    require(request.user, Perm.VIEW)
    unit = get_in_scope_or_404(units_visible(request.user), request.user, "id", pk=payload.unit_id)
    job = services.report_request(
        actor=request.user, unit=unit, period_kind=payload.period_kind, day=payload.day, fmt=payload.fmt
    )
    return 201, _job_out(job)


@router.get("/reports/{job_id}", response=JobOut)
def get_report(request: HttpRequest, job_id: Id) -> dict[str, Any]:
    require(request.user, Perm.VIEW)
    return _job_out(get_in_scope_or_404(jobs_visible(request.user), request.user, pk=job_id))
