"""Matching runs: computing one over the run unit's subtree only (inline from
matching.services.match_run_start, or from the huey task in matching.tasks)."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import within
from matching.models import (
    MatchRun,
    Need,
    NeedStatus,
    NeedType,
    OfferKind,
    Proposal,
    ResourceOffer,
    RunStatus,
)
from matching.needs import set_need_status
from matching.selectors import open_task_units

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------- runs


def _coords(obj: Any, unit: Any) -> tuple[float, float] | None:
    if obj is not None and getattr(obj, "latitude", None) is not None and getattr(obj, "longitude", None) is not None:
        return float(obj.latitude), float(obj.longitude)
    while unit is not None:
        if unit.latitude is not None and unit.longitude is not None:
            return float(unit.latitude), float(unit.longitude)
        unit = unit.parent
    return None


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekdays(availability: dict | None) -> int:
    """A volunteer's weekly availability ({"sat": ["am"]}) as a weekday bitmask;
    no availability recorded means any day."""
    from matching.engine import ALL_WEEK

    if not availability:
        return ALL_WEEK
    mask = sum(1 << i for i, d in enumerate(_DAYS) if availability.get(d))
    return mask or ALL_WEEK


def _priority(person: Any) -> str:
    try:
        return str(person.grade.card)
    except ObjectDoesNotExist:
        return "ungraded"


def _category(need: Need, codes: set[str], by_name: dict[str, str]) -> str:
    if need.need_type in codes:
        return need.need_type
    return by_name.get(need.need_type, need.need_type)


def match_run_execute(run_id: int) -> None:
    """Compute a run (inline or from the huey task). Reads only needs and
    offers whose unit lies under the run's unit. Only a queued run is
    computed: a task delivered twice would otherwise compute a finished run
    again over needs its own proposals took, and overwrite its counts."""
    if not MatchRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(status=RunStatus.RUNNING, progress=5):
        return
    run = MatchRun.objects.select_related("unit", "started_by").get(pk=run_id)
    try:
        compute_run(run)
    except Exception as exc:  # the page shows the failure; the queue logs it
        MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=str(exc)[:2000])
        raise


def compute_run(run: MatchRun) -> None:
    from matching import engine

    MatchRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=5)
    today = timezone.localdate()
    types = {t.code: t for t in NeedType.objects.filter(active=True)}
    by_name = {t.name: t.code for t in types.values()}
    needs = list(
        Need.objects.filter(within(run.unit), status=NeedStatus.OPEN)
        .select_related("person", "unit", "unit__parent", "unit__parent__parent")
        .prefetch_related("person__grade")
        .order_by("id")
    )
    offers = list(
        ResourceOffer.objects.filter(within(run.unit), is_active=True)
        .select_related("unit", "unit__parent", "unit__parent__parent", "volunteer", "enterprise")
        .prefetch_related("need_types")
        .order_by("id")
    )
    committed = open_task_units([o.pk for o in offers])
    need_in, res_in = [], []
    need_by_id = {n.pk: n for n in needs}
    for n in needs:
        where = _coords(n.person, n.unit) or (0.0, 0.0)
        deadline = n.window_end
        need_in.append(
            engine.NeedIn(
                id=n.pk,
                category=_category(n, set(types), by_name),
                lat=where[0],
                lon=where[1],
                priority=_priority(n.person),
                quantity=n.quantity,
                deadline=deadline.toordinal() if deadline else None,
                window_start=n.window_start.toordinal() if n.window_start else None,
                window_end=n.window_end.toordinal() if n.window_end else None,
            )
        )
    for o in offers:
        if o.kind == OfferKind.VOLUNTEER and o.volunteer is not None and not o.volunteer.is_active:
            continue
        where = _coords(o, None) or _coords(o.volunteer or o.enterprise, o.unit) or (0.0, 0.0)
        kind = {"volunteer": "volunteer", "goods": "goods"}.get(o.kind, "service")
        res_in.append(
            engine.ResourceIn(
                id=o.pk,
                categories=frozenset(t.code for t in o.need_types.all()),
                capacity=max(0, o.capacity - committed.get(o.pk, 0)),
                lat=where[0],
                lon=where[1],
                kind=kind,
                window_start=o.available_from.toordinal() if o.available_from else None,
                window_end=o.available_until.toordinal() if o.available_until else None,
                weekdays=_weekdays(o.volunteer.availability if o.volunteer else None),
            )
        )
    MatchRun.objects.filter(pk=run.pk).update(progress=20)
    params = engine.Params(
        max_distance_m=int(run.params.get("max_distance_m", 5000)),
        k=int(run.params.get("k", 8)),
        today=today.toordinal(),
        horizon_days=int(run.params.get("horizon_days", 60)),
    )
    result = engine.solve(need_in, res_in, params)
    MatchRun.objects.filter(pk=run.pk).update(progress=80)
    with transaction.atomic():
        proposals = [
            Proposal(
                run=run,
                unit=need_by_id[a.need_id].unit,
                need=need_by_id[a.need_id],
                resource_id=a.resource_id,
                units=a.units,
                distance_m=a.distance_m,
                priority=a.explanation["priority"],
                explanation=a.explanation,
            )
            for a in result.assignments
        ]
        Proposal.objects.bulk_create(proposals)
        actor = run.started_by
        for nid in sorted({a.need_id for a in result.assignments}):
            set_need_status(
                need_by_id[nid], NeedStatus.PROPOSED, actor, _("Proposed by matching run %(id)s") % {"id": run.pk}
            )
        run.unmet = {str(k): v for k, v in result.unmet.items()}
        run.counts = {
            "needs": len(need_in),
            "resources": len(res_in),
            "proposals": len(proposals),
            "unmet": len(result.unmet),
            "objective": result.objective,
            "arcs": result.stats.get("arcs", 0),
            "full_arcs": result.stats.get("full_arcs", 0),
        }
        run.status = RunStatus.DONE
        run.progress = 100
        run.finished_at = timezone.now()
        run.save(update_fields=["unmet", "counts", "status", "progress", "finished_at"])
