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

import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, JSONField, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope, scope
from core.inserts import insert_rows
from core.lookups import AnyOf
from core.roles import Level
from grading import category_keys
from grading.models import (
    CARD_RANK,
    Card,
    CardChange,
    CommunityResponsible,
    EventKind,
    FollowUpPolicy,
    MajorEvent,
    PersonGrade,
    ResponsibleMode,
    ResponsibleRule,
)
from grading.rules import due_date, evaluate
from grading.selectors import may_follow_up
from grading.selectors_config import active_rule_set, facts_by_id, policy_for, rule_specs
from grading.services.cards import _scores_snapshot
from grading.services.due import refresh_due
from orgs.models import OrgUnit
from people.models import Person

CHUNK = 2000
_GRADE_FIELDS = [
    "card",
    "card_rank",
    "reasons",
    "rule_set",
    "graded_at",
    "unit",
    "responsible",
    "next_due",
    *category_keys.FIELDS,
]


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# ---------------------------------------------------------------- responsible worker


def responsible_for(persons: Sequence[tuple[int, Any, int | None]], actor: Any) -> dict[int, Any]:
    """The worker each (person id, community, creator id) should have under
    the station's rule; falls back to the file's creator (the actor for files
    without one), else nobody: an unassigned resident is on every worker's
    list in scope. Three queries whatever the number of persons."""
    stations = {unit.parent_id for _pk, unit, _c in persons}
    rules = {r.unit_id: r for r in ResponsibleRule.objects.filter(unit_id__in=stations).select_related("worker__unit")}
    designated = {
        c.unit_id: c.worker
        for c in CommunityResponsible.objects.filter(unit_id__in={u.pk for _pk, u, _c in persons}).select_related(
            "worker__unit"
        )
    }
    creator_ids = {c for _pk, _u, c in persons if c}
    creators = {u.pk: u for u in get_user_model().objects.filter(pk__in=creator_ids).select_related("unit")}
    fallback = _user(actor)
    out: dict[int, Any] = {}
    for pk, unit, creator_id in persons:
        rule = rules.get(unit.parent_id)
        mode = rule.mode if rule else ResponsibleMode.CREATOR
        candidates = [creators.get(creator_id) if creator_id else fallback]
        if mode == ResponsibleMode.COMMUNITY:
            candidates.insert(0, designated.get(unit.pk))
        elif mode == ResponsibleMode.STATION:
            candidates.insert(0, rule.worker if rule else None)
        out[pk] = next((c for c in candidates if may_follow_up(c, unit)), None)
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
        if chosen is None and row is not None:
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
    if not ids:
        return counts
    if rule_set is None:  # nobody is graded, but cards made before still count by their categories
        category_keys.category_keys_refresh(person_ids=ids, day=timezone.localdate())
        return counts
    run = _Run(actor=actor, rule_set=rule_set, specs=rule_specs(rule_set), why=why, counts=counts)
    for start in range(0, len(ids), CHUNK):
        rows = list(
            scope(Person.objects.filter(AnyOf(F("pk"), ids[start : start + CHUNK]), is_active=True), actor).values_list(
                "pk", "unit_id", "birth_date", "created_by_id", "name"
            )
        )
        if rows:
            run.chunk(rows)
    if len(ids) == 1:
        grade = PersonGrade.objects.filter(person_id=ids[0]).select_related("unit").first()
        if grade is None or not run.single:  # same card, same worker: the caller's own event tells the story
            return counts
        audit_record(actor=actor, action=Action.CARD_ENROL, target=grade, unit=grade.unit, changes=run.single, note=why)
    elif counts["graded"] or counts["kept_manual"]:
        audit_record(
            actor=actor,
            action=Action.CARD_ENROL,
            unit=getattr(actor, "unit", None),
            changes={k: [None, v] for k, v in counts.items()},
            note=why,
        )
    return counts


class _Run:
    """One enrolment: the rules, policies and units read once, then chunk by
    chunk a fixed number of queries. New cards, history rows and major
    events are written as plain rows (`_insert`); existing cards are updated
    in bulk."""

    def __init__(self, *, actor: Any, rule_set: Any, specs: Any, why: str, counts: dict[str, int]) -> None:
        self.actor, self.who, self.rule_set, self.specs, self.why = actor, _user(actor), rule_set, specs, why
        self.counts = counts
        self.units: dict[int, Any] = {}
        self.policies: dict[str, FollowUpPolicy] = {}
        self.single: dict[str, list[Any]] = {}
        self.changed: list[PersonGrade] = []
        self.keys: dict[int, category_keys.Key] = {}
        self.today = timezone.localdate()

    def policy(self, unit: Any) -> FollowUpPolicy:
        district = unit.district_path
        if district not in self.policies:
            self.policies[district] = policy_for(unit)
        return self.policies[district]

    def chunk(self, rows: Sequence[tuple[int, int, Any, int | None, str]]) -> None:
        now = timezone.now()
        today = timezone.localdate(now)
        missing = {r[1] for r in rows} - set(self.units)
        self.units.update({u.pk: u for u in OrgUnit.objects.filter(pk__in=missing)})
        pks = [r[0] for r in rows]
        grades = {g.person_id: g for g in PersonGrade.objects.select_for_update().filter(AnyOf(F("person_id"), pks))}
        event_dues = {
            row["person_id"]: timezone.localdate(row["d"])
            for row in MajorEvent.objects.filter(AnyOf(F("person_id"), pks), resolved_by__isnull=True)
            .values("person_id")
            .annotate(d=Min("due_at"))
        }
        facts = facts_by_id([(r[0], r[2]) for r in rows], today)
        self.keys, self.today = category_keys.keys_of(pks, today), today
        wanted = responsible_for(
            [(pk, self.units[u], c) for pk, u, _b, c, _n in rows if pk not in grades or not grades[pk].responsible_id],
            self.actor,
        )
        new: list[dict[str, Any]] = []
        history: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for pk, unit_id, _birth, _creator, name in rows:
            unit = self.units[unit_id]
            policy = self.policy(unit)
            grade = grades.get(pk)
            worker = wanted.get(pk)
            if grade is not None and grade.overridden:
                self.counts["kept_manual"] += 1
                before = grade.responsible_id
                self._update(grade, unit, worker, policy, event_dues.get(pk))
                if len(rows) == 1 and before != grade.responsible_id:
                    self.single = {"responsible": [before, grade.responsible_id]}
                continue
            result = evaluate(self.specs, facts[pk])
            if result is None:  # validate_rules makes this impossible; refuse rather than skip
                raise ValidationError(_("The active rules leave %(name)s ungraded.") % {"name": name})
            card, reasons = result
            old_card = grade.card if grade else ""
            self.counts["graded"] += 1
            if old_card != card:
                self.counts["changed"] += 1
                history.append(
                    {
                        "person_id": pk,
                        "unit_id": unit_id,
                        "from_card": old_card,
                        "to_card": card,
                        "changed_at": now,
                        "changed_by_id": self.who.pk if self.who else None,
                        "why": self.why,
                        "reasons": reasons,
                        "scores": _scores_snapshot(facts[pk]),
                        "rule_set_id": self.rule_set.pk,
                    }
                )
                if card == Card.RED:
                    due_at = now + timedelta(hours=policy.major_event_hours)
                    events.append(
                        {
                            "person_id": pk,
                            "unit_id": unit_id,
                            "kind": EventKind.NEW_RED,
                            "occurred_at": now,
                            "due_at": due_at,
                            "recorded_by_id": self.who.pk if self.who else None,
                        }
                    )
                    due = timezone.localdate(due_at)
                    event_dues[pk] = min(due, event_dues.get(pk, due))
            if grade is None:
                if worker is not None:
                    self.counts["assigned"] += 1
                new.append(
                    {
                        "person_id": pk,
                        "unit_id": unit_id,
                        "card": card,
                        "card_rank": CARD_RANK[card],
                        "reasons": reasons,
                        "overridden": False,
                        "graded_at": now,
                        "first_graded_on": today,
                        "next_due": due_date(
                            graded_on=today,
                            card=card,
                            interval_days=policy.interval(card),
                            last_visit=None,
                            event_due=event_dues.get(pk),
                        ),
                        "responsible_id": worker.pk if worker else None,
                        "rule_set_id": self.rule_set.pk,
                        **category_keys.fields(self.keys[pk], today),
                    }
                )
                if len(rows) == 1:
                    self.single = {"card": [None, card], "responsible": [None, worker.pk if worker else None]}
            else:
                grade.card, grade.reasons, grade.rule_set, grade.graded_at = card, reasons, self.rule_set, now
                before = grade.responsible_id
                self._update(grade, unit, worker, policy, event_dues.get(pk))
                if len(rows) == 1:
                    pairs: dict[str, list[Any]] = {
                        "card": [old_card, card],
                        "responsible": [before, grade.responsible_id],
                    }
                    self.single = {k: v for k, v in pairs.items() if v[0] != v[1]}
        PersonGrade.objects.bulk_update(self.changed, _GRADE_FIELDS, batch_size=500)
        self.changed = []
        _insert(PersonGrade, new)
        _insert(CardChange, history)
        _insert(MajorEvent, events)

    def _update(self, grade: PersonGrade, unit: Any, worker: Any, policy: FollowUpPolicy, event_due: Any) -> None:
        grade.unit = unit
        if grade.responsible_id is None and worker is not None:
            grade.responsible = worker
            self.counts["assigned"] += 1
        refresh_due(grade, policy, event_due)
        category_keys.stamp(grade, self.keys[grade.person_id], self.today)
        self.changed.append(grade)


def _insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """Plain rows through core.inserts (COPY on PostgreSQL): at 100,000 rows
    Django's per-value preparation in bulk_create costs more than the
    grading itself. JSON values go as their text."""
    if not rows:
        return
    columns = list(rows[0])
    as_json = {f.attname for f in model._meta.concrete_fields if isinstance(f, JSONField)}
    json_at = [i for i, c in enumerate(columns) if c in as_json]

    def row(r: dict[str, Any]) -> list[Any]:
        values = [r[c] for c in columns]
        for i in json_at:
            if values[i] is not None:
                values[i] = json.dumps(values[i])
        return values

    insert_rows(model, columns, (row(r) for r in rows))
