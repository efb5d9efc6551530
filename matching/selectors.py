"""Scoped reads for needs, offers, runs, proposals, tasks and wishes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL

from core.access import scope
from matching.models import (
    MatchRun,
    Need,
    NeedStatus,
    NeedType,
    Proposal,
    ResourceOffer,
    ServiceTask,
    TaskStatus,
    Wish,
    WishStatus,
)


def needs_visible(user: Any) -> QuerySet[Need]:
    return scope(Need.objects.select_related("person", "person__grade", "unit", "domain"), user)


def needs_untyped(user: Any) -> QuerySet[Need]:
    """Open needs in scope whose type is not an active catalogue entry: the
    engine cannot match them until someone gives them one. Red cards first."""
    active = NeedType.objects.filter(active=True).values("code")
    return (
        needs_visible(user)
        .filter(status=NeedStatus.OPEN)
        .exclude(need_type__in=active)
        .order_by(F("person__grade__card_rank").asc(nulls_last=True), "created_at", "id")
    )


def need_type_names() -> dict[str, str]:
    return dict(NeedType.objects.values_list("code", "name"))


def offers_visible(user: Any) -> QuerySet[ResourceOffer]:
    return scope(
        ResourceOffer.objects.select_related("unit", "volunteer", "enterprise", "organisation").prefetch_related(
            "need_types"
        ),
        user,
    )


def runs_visible(user: Any) -> QuerySet[MatchRun]:
    return scope(MatchRun.objects.select_related("unit", "started_by"), user)


def unmet_need_ids(run: MatchRun) -> RawSQL:
    """The ids of the needs `run` left unmet (the keys of its `unmet`), read
    by the database from the stored JSON: a subquery for `pk__in`, instead of
    thousands of bound ids, which cost more than the page itself."""
    table = connection.ops.quote_name(MatchRun._meta.db_table)
    if connection.vendor == "postgresql":
        sql = f"SELECT jsonb_object_keys(unmet)::bigint FROM {table} WHERE id = %s"
    else:
        sql = f"SELECT CAST(j.key AS INTEGER) FROM {table}, json_each({table}.unmet) AS j WHERE {table}.id = %s"
    return RawSQL(sql, (run.pk,))


def proposals_visible(user: Any) -> QuerySet[Proposal]:
    return scope(
        Proposal.objects.select_related(
            "need", "need__person", "need__unit", "resource", "resource__volunteer", "resource__enterprise", "run"
        ),
        user,
    )


def tasks_visible(user: Any) -> QuerySet[ServiceTask]:
    return scope(
        ServiceTask.objects.select_related("need", "need__person", "unit", "resource", "volunteer", "enterprise"),
        user,
    )


def wishes_visible(user: Any) -> QuerySet[Wish]:
    return scope(
        Wish.objects.select_related("person", "unit", "claimant_enterprise", "claimant_volunteer", "need"), user
    )


def wishes_public() -> QuerySet[Wish]:
    """Open wishes for the public claim page (the template shows no personal data)."""
    return (
        Wish.objects.filter(status=WishStatus.PUBLISHED)
        .select_related("unit", "unit__parent", "person")
        .order_by("deadline", "id")
    )


def public_wish_row(wish: Wish) -> dict[str, Any]:
    """What the public may see of an open wish (the wall and the portal): the
    wish, value, deadline, masked name and community, and the station to
    call (name, phone, address). Nothing else of the recipient."""
    station = wish.unit.station
    return {
        "pk": wish.pk,
        "title": wish.title,
        "value": wish.value,
        "deadline": wish.deadline,
        "who": wish.masked_name,
        "community": wish.unit.name,
        "station": station.name,
        "phone": station.phone,
        "address": station.address,
    }


def wish_stats(user: Any, *, start: date, end: date) -> list[dict[str, Any]]:
    """Per month and station (a community's parent station, else the unit
    itself): wishes published, claimed and fulfilled in [start, end] and their
    RMB value, newest month first."""
    from django.db.models.functions import TruncMonth

    from orgs.models import OrgUnit

    qs = wishes_visible(user)
    rows: dict[tuple[date, int], dict[str, Any]] = {}
    stations: dict[int, Any] = {}

    def station_of(unit_id: int) -> Any:
        if unit_id not in stations:
            unit = OrgUnit.objects.select_related("parent").get(pk=unit_id)
            stations[unit_id] = unit.parent if unit.level == "community" and unit.parent_id else unit
        return stations[unit_id]

    for label in ("published", "claimed", "fulfilled"):
        field = f"{label}_on"
        part = (
            qs.filter(**{f"{field}__range": (start, end)})
            .annotate(month=TruncMonth(field))
            .values("month", "unit_id")
            .annotate(n=Count("id"), v=Sum("value"))
        )
        for row in part:
            station = station_of(row["unit_id"])
            month = row["month"]
            month = month.date() if hasattr(month, "date") else month
            entry = rows.setdefault(
                (month, station.pk),
                {
                    "month": month,
                    "station": station.name,
                    "published": 0,
                    "claimed": 0,
                    "fulfilled": 0,
                    "published_value": Decimal(0),
                    "claimed_value": Decimal(0),
                    "fulfilled_value": Decimal(0),
                },
            )
            entry[label] += row["n"]
            entry[f"{label}_value"] += row["v"] or Decimal(0)
    return sorted(rows.values(), key=lambda r: (-r["month"].toordinal(), r["station"]))


def open_task_units(offer_ids: list[int]) -> dict[int, int]:
    """Capacity already committed per offer: open tasks (and, for goods, every
    task that was not cancelled) plus proposals awaiting a decision."""
    out: dict[int, int] = {}
    tasks = (
        ServiceTask.objects.filter(resource_id__in=offer_ids)
        .filter(
            Q(status__in=[TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS])
            | Q(resource__kind="goods", status=TaskStatus.DONE)
        )
        .values("resource_id")
        .annotate(n=Sum("units"))
    )
    for row in tasks:
        out[row["resource_id"]] = out.get(row["resource_id"], 0) + (row["n"] or 0)
    pending = (
        Proposal.objects.filter(resource_id__in=offer_ids, status="proposed")
        .values("resource_id")
        .annotate(n=Sum("units"))
    )
    for row in pending:
        out[row["resource_id"]] = out.get(row["resource_id"], 0) + (row["n"] or 0)
    return out
