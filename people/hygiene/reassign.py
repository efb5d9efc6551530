"""When a worker leaves: their recipients (the responsible worker of the
follow-up card), their open cases and the communities they are the
designated worker of go to another worker, in one transaction with one
audit event, and the new worker is told once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from casework.models import Case, CaseTransition, Stage
from core.access import Perm, require, require_unit_in_scope, scope
from grading.models import CommunityResponsible, PersonGrade, ResponsibleRule
from grading.selectors import may_follow_up
from notifications.api import Event, notify


@dataclass
class Workload:
    recipients: QuerySet[PersonGrade]
    cases: QuerySet[Case]
    communities: QuerySet[CommunityResponsible]
    stations: QuerySet[ResponsibleRule]


def workload_of(actor: Any, worker: Any) -> Workload:
    """What `worker` holds within the actor's scope."""
    return Workload(
        recipients=scope(PersonGrade.objects.filter(responsible=worker, person__is_active=True), actor)
        .select_related("person", "unit")
        .order_by("person__name_pinyin", "pk"),
        cases=scope(Case.objects.filter(worker=worker).exclude(stage=Stage.CLOSED), actor)
        .select_related("person")
        .order_by("number", "pk"),
        communities=scope(CommunityResponsible.objects.filter(worker=worker), actor).select_related("unit"),
        stations=scope(ResponsibleRule.objects.filter(worker=worker), actor).select_related("unit"),
    )


def target_refusal(to_worker: Any, leaving: Any, units: Iterable[Any]) -> str | None:
    if to_worker is None:
        return _("Choose the worker who takes over.")
    if to_worker.pk == leaving.pk:
        return _("Choose a worker other than the one leaving.")
    if not to_worker.is_active:
        return _("%(name)s's account is switched off.") % {"name": to_worker}
    far = sorted({u.name for u in units if not may_follow_up(to_worker, u)})
    if far:
        return _("%(name)s does not work where these residents live: %(units)s.") % {
            "name": to_worker,
            "units": "、".join(far),
        }
    return None


@transaction.atomic
def workload_reassign(
    *,
    actor: Any,
    leaving: Any,
    to_worker: Any,
    grade_ids: Iterable[int],
    case_ids: Iterable[int],
    reason: str,
    designated: bool = True,
) -> dict[str, int]:
    """Hand the chosen recipients and open cases of `leaving` (and, with
    `designated`, the communities and stations naming them) to `to_worker`.
    All or nothing. Returns how many of each moved."""
    require(actor, Perm.RECORD_MERGE)
    require_unit_in_scope(actor, leaving.unit)
    if to_worker is not None:
        require_unit_in_scope(actor, to_worker.unit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the reassignment.")})
    load = workload_of(actor, leaving)
    grades = list(load.recipients.select_for_update(of=("self",)).filter(pk__in=list(grade_ids)))
    cases = list(load.cases.select_for_update(of=("self",)).filter(pk__in=list(case_ids)))
    communities = list(load.communities) if designated else []
    stations = list(load.stations) if designated else []
    if not (grades or cases or communities or stations):
        raise ValidationError(_("Tick at least one recipient or case."))
    units = [g.unit for g in grades] + [c.unit for c in cases] + [c.unit for c in communities]
    refusal = target_refusal(to_worker, leaving, units)
    if refusal:
        raise ValidationError({"to_worker": refusal})
    PersonGrade.objects.filter(pk__in=[g.pk for g in grades]).update(responsible=to_worker)
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(worker=to_worker)
    for case in cases:
        case.co_workers.remove(to_worker)
    CaseTransition.objects.bulk_create(
        CaseTransition(
            case=c,
            action="transfer",
            from_stage=c.stage,
            to_stage=c.stage,
            actor=actor,
            comment=f"{leaving} → {to_worker}: {reason}",
        )
        for c in cases
    )
    CommunityResponsible.objects.filter(pk__in=[c.pk for c in communities]).update(worker=to_worker)
    ResponsibleRule.objects.filter(pk__in=[r.pk for r in stations]).update(worker=to_worker)
    moved = {
        "recipients": len(grades),
        "cases": len(cases),
        "communities": len(communities),
        "stations": len(stations),
    }
    event = audit_record(
        actor=actor,
        action=Action.PERSON_WORKLOAD_REASSIGN,
        target=leaving,
        unit=leaving.unit,
        changes={"worker": [leaving.pk, to_worker.pk], **{k: [None, n] for k, n in moved.items() if n}},
        note=reason,
    )
    notify(
        event=Event.RECIPIENT_ASSIGNED,
        recipients=[to_worker],
        obj=f"people.workload:{event.pk}",
        subject=_("%(recipients)s recipients and %(cases)s cases from %(name)s")
        % {"recipients": len(grades), "cases": len(cases), "name": leaving},
        link=reverse("grading:followups"),
    )
    return moved
