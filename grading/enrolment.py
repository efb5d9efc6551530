"""Every resident enters 一分三卡: a resident created (form, API, Excel
import), whose categories, birth date or community change, or who is
restored, is graded at once by the active rule set and gets a responsible
worker, so that they are on the follow-up lists the same day.

`persons_enrol` is installed into `people.followup` by `grading/apps.py`
and runs inside the people service's transaction. It works in chunks with
a constant number of queries per chunk, so an import of 100,000 rows grades
in bulk. Cards set by hand are kept; a responsible worker already named is
kept. The station's responsible-worker rule (`ResponsibleRule`) decides who
is named; a station lead edits it with `responsible_rule_update`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope, scope
from core.roles import Level
from grading.models import (
    CardChange,
    CommunityResponsible,
    EventKind,
    FollowUpPolicy,
    MajorEvent,
    PersonGrade,
    ResponsibleMode,
    ResponsibleRule,
)
from grading.rules import evaluate
from grading.selectors import may_follow_up
from grading.services import _facts_for, _scores_snapshot, active_rule_set, policy_for, refresh_due, rule_specs
from people.models import Person

CHUNK = 2000
_GRADE_FIELDS = ["card", "card_rank", "reasons", "rule_set", "graded_at", "unit", "responsible", "next_due"]


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# ---------------------------------------------------------------- responsible worker


def responsible_for(persons: Sequence[Person], actor: Any) -> dict[int, Any]:
    """The worker each person should have under their station's rule; falls
    back to the file's creator (the actor for files without one), else
    nobody: an unassigned resident is on every worker's list in scope.
    Three queries whatever the number of persons."""
    stations = {p.unit.parent_id for p in persons}
    rules = {r.unit_id: r for r in ResponsibleRule.objects.filter(unit_id__in=stations).select_related("worker__unit")}
    designated = {
        c.unit_id: c.worker
        for c in CommunityResponsible.objects.filter(unit_id__in={p.unit_id for p in persons}).select_related(
            "worker__unit"
        )
    }
    creator_ids = {p.created_by_id for p in persons if p.created_by_id}
    creators = {u.pk: u for u in get_user_model().objects.filter(pk__in=creator_ids).select_related("unit")}
    fallback = _user(actor)
    out: dict[int, Any] = {}
    for p in persons:
        rule = rules.get(p.unit.parent_id)
        mode = rule.mode if rule else ResponsibleMode.CREATOR
        creator = creators.get(p.created_by_id) if p.created_by_id else fallback
        candidates = [creator]
        if mode == ResponsibleMode.COMMUNITY:
            candidates.insert(0, designated.get(p.unit_id))
        elif mode == ResponsibleMode.STATION:
            candidates.insert(0, rule.worker if rule else None)
        out[p.pk] = next((c for c in candidates if may_follow_up(c, p.unit)), None)
    return out


@transaction.atomic
def responsible_rule_update(
    *, actor: Any, station: Any, mode: str, worker: Any = None, community_workers: dict[Any, Any] | None = None
) -> ResponsibleRule:
    """Set how a station names the responsible worker of new residents: the
    file's creator, each community's designated worker or the station's
    designated worker. Applies to residents graded from now on; workers
    already named are kept."""
    require(actor, Perm.STAFF_MANAGE)
    require_unit_in_scope(actor, station)
    if station.level != Level.STATION:
        raise ValidationError(_("Choose a station."))
    community_workers = community_workers or {}
    errors: dict[str, Any] = {}
    if mode not in ResponsibleMode.values:
        errors["mode"] = _("Choose how the responsible worker is named.")
    if mode == ResponsibleMode.STATION and worker is None:
        errors["worker"] = _("Choose the station's designated worker.")
    if worker is not None and not may_follow_up(worker, station):
        errors["worker"] = _("%(name)s cannot follow up this station's residents.") % {"name": worker}
    communities = {c.pk: c for c in station.children.filter(level=Level.COMMUNITY)}
    for community, chosen in community_workers.items():
        if community.pk not in communities:
            raise ValidationError(_("That community is not in this station."))
        if chosen is not None and not may_follow_up(chosen, community):
            errors[f"community_{community.pk}"] = _("%(name)s cannot follow up residents of %(unit)s.") % {
                "name": chosen,
                "unit": community.name,
            }
    if mode == ResponsibleMode.COMMUNITY and not any(community_workers.values()):
        errors["mode"] = _("Name the designated worker of at least one community.")
    if errors:
        raise ValidationError(errors)
    rule, _created = ResponsibleRule.objects.get_or_create(unit=station)
    changes: dict[str, list[Any]] = {}
    if rule.mode != mode:
        changes["mode"] = [rule.mode, mode]
    if rule.worker_id != (worker.pk if worker else None):
        changes["worker"] = [rule.worker_id, worker.pk if worker else None]
    rule.mode, rule.worker = mode, worker
    rule.save()
    current = {c.unit_id: c for c in CommunityResponsible.objects.filter(unit__in=list(communities))}
    for community, chosen in community_workers.items():
        row = current.get(community.pk)
        before = row.worker_id if row else None
        after = chosen.pk if chosen else None
        if before == after:
            continue
        changes[f"community:{community.code}"] = [before, after]
        if chosen is None:
            row.delete()
        elif row is None:
            CommunityResponsible.objects.create(unit=community, worker=chosen)
        else:
            row.worker = chosen
            row.save(update_fields=["worker"])
    audit_record(actor=actor, action=Action.RESPONSIBLE_RULE_UPDATE, target=rule, unit=station, changes=changes)
    return rule


# ---------------------------------------------------------------- grading at once


def persons_enrol(*, actor: Any, persons: Sequence[Any], why: str) -> dict[str, int]:
    """Grade the active residents among `persons` (ids or Person objects)
    with the active rule set and name a responsible worker for those who have
    none. Cards set by hand stay. With no active rule set nobody is graded.
    One audit event per call (the card change itself for a single person,
    the counts for a batch)."""
    require(actor, Perm.RECORD_EDIT)
    counts = {"graded": 0, "changed": 0, "kept_manual": 0, "assigned": 0}
    rule_set = active_rule_set()
    ids = [p if isinstance(p, int) else p.pk for p in persons]
    if rule_set is None or not ids:
        return counts
    specs = rule_specs(rule_set)
    policies: dict[str, FollowUpPolicy] = {}
    single: dict[str, Any] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = list(
            scope(Person.objects.filter(pk__in=ids[start : start + CHUNK], is_active=True), actor).select_related(
                "unit"
            )
        )
        if chunk:
            _enrol_chunk(actor, chunk, rule_set, specs, policies, why, counts, single)
    if not counts["graded"] and not counts["kept_manual"]:
        return counts
    if len(ids) == 1:
        if not single.get("changes"):  # same card, same worker: the caller's own event tells the story
            return counts
        audit_record(
            actor=actor,
            action=Action.CARD_ENROL,
            target=single["grade"],
            unit=single["grade"].unit,
            changes=single["changes"],
            note=why,
        )
    else:
        audit_record(
            actor=actor,
            action=Action.CARD_ENROL,
            unit=getattr(actor, "unit", None),
            changes={k: [None, v] for k, v in counts.items()},
            note=why,
        )
    return counts


def _enrol_chunk(
    actor: Any,
    chunk: list[Person],
    rule_set: Any,
    specs: Any,
    policies: dict[str, FollowUpPolicy],
    why: str,
    counts: dict[str, int],
    single: dict[str, Any],
) -> None:
    now = timezone.now()
    today = timezone.localdate(now)
    pks = [p.pk for p in chunk]
    grades = {g.person_id: g for g in PersonGrade.objects.select_for_update().filter(person_id__in=pks)}
    event_dues = {
        row["person_id"]: timezone.localdate(row["d"])
        for row in MajorEvent.objects.filter(person_id__in=pks, resolved_by__isnull=True)
        .values("person_id")
        .annotate(d=Min("due_at"))
    }
    facts = _facts_for(chunk, today)
    wanted = responsible_for([p for p in chunk if grades.get(p.pk) is None or not grades[p.pk].responsible_id], actor)
    new_grades: list[PersonGrade] = []
    old_grades: list[PersonGrade] = []
    history: list[CardChange] = []
    events: list[MajorEvent] = []
    who = _user(actor)
    for person in chunk:
        district = person.unit.path.split("/", 1)[0]
        if district not in policies:
            policies[district] = policy_for(person.unit)
        policy = policies[district]
        grade = grades.get(person.pk)
        before = {"card": grade.card if grade else None, "responsible": grade.responsible_id if grade else None}
        if grade is None:
            grade = PersonGrade(person=person, first_graded_on=today, overridden=False)
            new_grades.append(grade)
        else:
            old_grades.append(grade)
        grade.unit = person.unit
        if grade.responsible_id is None and wanted.get(person.pk) is not None:
            grade.responsible = wanted[person.pk]
            counts["assigned"] += 1
        if grade.overridden:
            counts["kept_manual"] += 1
        else:
            result = evaluate(specs, facts[person.pk])
            if result is None:  # validate_rules makes this impossible; refuse rather than skip
                raise ValidationError(_("The active rules leave %(name)s ungraded.") % {"name": person.name})
            card, reasons = result
            old_card = before["card"] or ""
            grade.card, grade.reasons, grade.rule_set, grade.graded_at = card, reasons, rule_set, now
            counts["graded"] += 1
            if old_card != card:
                counts["changed"] += 1
                history.append(
                    CardChange(
                        person=person,
                        unit=person.unit,
                        from_card=old_card,
                        to_card=card,
                        changed_at=now,
                        changed_by=who,
                        why=why,
                        reasons=reasons,
                        scores=_scores_snapshot(facts[person.pk]),
                        rule_set=rule_set,
                    )
                )
                if card == "red":
                    due_at = now + timedelta(hours=policy.major_event_hours)
                    events.append(
                        MajorEvent(
                            person=person,
                            unit=person.unit,
                            kind=EventKind.NEW_RED,
                            occurred_at=now,
                            due_at=due_at,
                            recorded_by=who,
                        )
                    )
                    due = timezone.localdate(due_at)
                    event_dues[person.pk] = min(due, event_dues.get(person.pk, due))
        refresh_due(grade, policy, event_dues.get(person.pk))
        if len(chunk) == 1:
            single["grade"] = grade
            single["changes"] = {
                k: [v, getattr(grade, f"{k}_id" if k == "responsible" else k)]
                for k, v in before.items()
                if v != getattr(grade, f"{k}_id" if k == "responsible" else k)
            }
    PersonGrade.objects.bulk_create(new_grades, batch_size=500)
    PersonGrade.objects.bulk_update(old_grades, _GRADE_FIELDS, batch_size=500)
    CardChange.objects.bulk_create(history, batch_size=500)
    MajorEvent.objects.bulk_create(events, batch_size=500)
