"""Demo: grade the demo residents with the default rules and give them a
year of card history and visits, so the lists, rates and board look alive.
Runs after the registries seeder; idempotent (graded people are skipped)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from core.access import within
from core.demo import DemoContext

MODES = ["home", "home", "home", "phone", "phone", "im", "pair", "neighbour"]
FINDINGS = [
    "身体状况稳定",
    "情绪良好，家中整洁",
    "血压偏高，已提醒就医",
    "需要助餐服务",
    "独自在家，精神尚可",
    "腿脚不便，需陪同就医",
]


def seed(ctx: DemoContext) -> None:
    from accounts.models import User
    from grading import selectors_config, services
    from grading.models import CardChange, PersonGrade, Visit
    from people.models import Person

    district = ctx.data.get("district")
    admin = User.objects.filter(role="district_admin", is_active=True).order_by("pk").first()
    if district is None or admin is None:
        return
    todo = Person.objects.filter(within(district), is_active=True, grade__isnull=True)
    if not todo.exists():
        return
    ids = list(todo.values_list("pk", flat=True))
    services.grades_refresh(actor=admin, persons=Person.objects.filter(pk__in=ids))
    rng = ctx.rng
    today = timezone.localdate()
    workers = list(User.objects.filter(role__in=["social_worker", "community_worker"], is_active=True))
    grades = list(PersonGrade.objects.filter(person_id__in=ids).select_related("person__unit"))
    # Spread the first grading over the past year so the board's trend has a shape.
    changes = {c.person_id: c for c in CardChange.objects.filter(person_id__in=ids)}
    for grade in grades:
        change = changes.get(grade.person_id)
        if change is not None:
            change.changed_at = timezone.now() - dt.timedelta(days=rng.randint(20, 360))
    CardChange.objects.bulk_update(list(changes.values()), ["changed_at"])
    visits = []
    interval = {"red": 7, "blue": 30, "green": 90}
    for grade in grades:
        first = timezone.localdate(changes[grade.person_id].changed_at) if grade.person_id in changes else today
        day = first
        step = interval[grade.card]
        # about one in eight has fallen behind lately: the overdue lists have work in them
        stop = today - dt.timedelta(days=rng.randint(step + 3, step + 40)) if rng.random() < 0.12 else today
        local = [w for w in workers if w.unit is not None and w.unit.contains(grade.person.unit)] if workers else []
        while True:
            # most visits on time, some late, a few people dropped behind (overdue lists)
            day = day + dt.timedelta(days=max(1, int(step * rng.choice([0.6, 0.9, 1.0, 1.0, 1.3]))))
            if day > stop:
                break
            who = rng.choice(local) if local else None
            mode = rng.choice(MODES)
            visits.append(
                Visit(
                    person_id=grade.person_id,
                    unit_id=grade.unit_id,
                    mode=mode,
                    visited_on=day,
                    visitor=who,
                    visitor_name=who.full_name if who else "",
                    findings=rng.choice(FINDINGS),
                    duration_minutes=rng.choice([20, 30, 30, 45, 60]) if mode == "home" else None,
                )
            )
            grade.last_visit_on = day
        grade.first_graded_on = first
        if local and rng.random() < 0.7:
            grade.responsible = rng.choice(local)
    Visit.objects.bulk_create(visits, batch_size=1000)
    _companions(ctx, [v for v in visits if v.mode == "home" and v.pk is not None])
    _settle_new_red_events(ids, changes)
    policy = selectors_config.policy_for(district)
    for grade in grades:
        services.refresh_due(grade, policy)
    PersonGrade.objects.bulk_update(
        grades, ["last_visit_on", "first_graded_on", "responsible", "next_due", "card_rank"], batch_size=500
    )


COMPANION_OTHERS = ["社区网格员", "楼栋长", "家庭医生", "邻居王阿姨"]


def _companions(ctx: DemoContext, home_visits: list[Any]) -> None:
    """About one home visit in six went with someone (共同开展家庭走访): a
    volunteer or a community organisation of the station, or a named helper."""
    from core.access import under
    from grading.models import Companion, CompanionKind
    from orgs.models import OrgUnit
    from partners.models import CommunityOrganisation
    from volunteers.models import Volunteer

    rng = ctx.rng
    rows = []
    units = OrgUnit.objects.select_related("parent").in_bulk({v.unit_id for v in home_visits})
    by_station: dict[int, tuple[list[Any], list[Any]]] = {}
    for visit in home_visits:
        if rng.random() >= 1 / 6:
            continue
        unit = units[visit.unit_id]
        station = unit.parent or unit
        if station.pk not in by_station:
            by_station[station.pk] = (
                list(under(Volunteer.objects.all(), station).order_by("pk")[:30]),
                list(under(CommunityOrganisation.objects.all(), station).order_by("pk")[:10]),
            )
        volunteers, organisations = by_station[station.pk]
        pick = rng.random()
        if pick < 0.5 and volunteers:
            v = rng.choice(volunteers)
            rows.append(Companion(visit=visit, kind=CompanionKind.VOLUNTEER, volunteer=v, name=v.name))
        elif pick < 0.7 and organisations:
            o = rng.choice(organisations)
            rows.append(Companion(visit=visit, kind=CompanionKind.ORGANISATION, organisation=o, name=o.name))
        else:
            rows.append(Companion(visit=visit, kind=CompanionKind.OTHER, name=rng.choice(COMPANION_OTHERS)))
    Companion.objects.bulk_create(rows, batch_size=1000)


def _settle_new_red_events(ids: list[int], changes: dict[int, Any]) -> None:
    """Grading created "new red card" events dated now; date them at the
    (back-dated) grading and close each with the first visit after it."""
    from grading.models import MajorEvent, Visit

    events = list(MajorEvent.objects.filter(person_id__in=ids, kind="new_red", resolved_by__isnull=True))
    first_visit: dict[int, Any] = {}
    for v in Visit.objects.filter(person_id__in=ids).order_by("visited_on", "id"):
        first_visit.setdefault(v.person_id, v)
    for event in events:
        change = changes.get(event.person_id)
        if change is not None:
            event.occurred_at = change.changed_at
            event.due_at = change.changed_at + dt.timedelta(hours=24)
        event.resolved_by = first_visit.get(event.person_id)
    MajorEvent.objects.bulk_update(events, ["occurred_at", "due_at", "resolved_by"])
