"""Writes: grading a person by the rules in force, regrading, and setting a card by hand."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope
from grading import category_keys
from grading.models import (
    Card,
    CardChange,
    EventKind,
    FollowUpPolicy,
    GradingRuleSet,
    MajorEvent,
    PersonGrade,
)
from grading.rules import Facts, evaluate
from grading.selectors_config import active_rule_set, facts_by_id, policy_for, rule_specs
from grading.services.due import refresh_due
from people.models import Person


def _facts_for(persons: list[Person], day: date) -> dict[int, Facts]:
    return facts_by_id([(p.pk, p.birth_date) for p in persons], day)


def _scores_snapshot(facts: Facts) -> dict[str, Any]:
    return {code: {"level": lv, "total": tot} for code, (lv, tot) in facts.assessments.items()}


def _apply_card(
    *,
    actor: Any,
    person: Person,
    grade: PersonGrade | None,
    card: str,
    reasons: list[str],
    why: str,
    scores: dict[str, Any],
    overridden: bool,
    rule_set: GradingRuleSet | None,
    policy: FollowUpPolicy,
) -> PersonGrade:
    now = timezone.now()
    old_card = grade.card if grade else ""
    if grade is None:
        day = timezone.localdate(now)
        grade = PersonGrade(person=person, unit=person.unit, first_graded_on=day)
        category_keys.stamp(grade, category_keys.keys_of([person.pk], day)[person.pk], day)
    grade.card, grade.reasons, grade.overridden = card, reasons, overridden
    grade.graded_at, grade.rule_set, grade.unit = now, rule_set, person.unit
    if old_card != card or overridden:
        CardChange.objects.create(
            person=person,
            unit=person.unit,
            from_card=old_card,
            to_card=card,
            changed_at=now,
            changed_by=actor if getattr(actor, "is_authenticated", False) else None,
            why=why,
            reasons=reasons,
            scores=scores,
            overridden=overridden,
            rule_set=rule_set,
        )
        if card == Card.RED and old_card != Card.RED:
            grade.save()
            MajorEvent.objects.create(
                person=person,
                unit=person.unit,
                kind=EventKind.NEW_RED,
                occurred_at=now,
                due_at=now + timedelta(hours=policy.major_event_hours),
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    refresh_due(grade, policy)
    grade.save()
    if old_card != card or overridden:
        audit_record(
            actor=actor,
            action=Action.CARD_OVERRIDE if overridden else Action.CARD_GRADE,
            target=grade,
            unit=person.unit,
            changes={"card": [old_card or None, card]},
            note=why,
        )
    return grade


@transaction.atomic
def person_grade(*, actor: Any, person: Person, why: str = "") -> PersonGrade:
    """Grade one person with the active rule set (replaces a manual card:
    the worker asked for it)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    rule_set = active_rule_set()
    if rule_set is None:
        raise ValidationError(_("No grading rule set is active."))
    specs = rule_specs(rule_set)
    facts = _facts_for([person], timezone.localdate())[person.pk]
    result = evaluate(specs, facts)
    if result is None:
        raise ValidationError(_("The active rules leave this person ungraded: add a catch-all rule."))
    card, reasons = result
    grade = PersonGrade.objects.select_for_update().filter(person=person).first()
    return _apply_card(
        actor=actor,
        person=person,
        grade=grade,
        card=card,
        reasons=reasons,
        why=why or _("Graded by the rules"),
        scores=_scores_snapshot(facts),
        overridden=False,
        rule_set=rule_set,
        policy=policy_for(person.unit),
    )


@transaction.atomic
def grades_refresh(*, actor: Any, persons: QuerySet[Person], include_overridden: bool = False) -> dict[str, int]:
    """Re-grade a batch on request with the active rule set. Cards set by
    hand are kept unless `include_overridden`. Returns counts."""
    require(actor, Perm.CONFIG_MANAGE)
    rule_set = active_rule_set()
    if rule_set is None:
        raise ValidationError(_("No grading rule set is active."))
    specs = rule_specs(rule_set)
    today = timezone.localdate()
    counts = {"graded": 0, "changed": 0, "kept_manual": 0}
    people = list(persons.filter(is_active=True).select_related("unit"))
    grades = {g.person_id: g for g in PersonGrade.objects.filter(person__in=[p.pk for p in people])}
    policies: dict[str, FollowUpPolicy] = {}
    for start in range(0, len(people), 500):
        chunk = people[start : start + 500]
        facts = _facts_for(chunk, today)
        for person in chunk:
            grade = grades.get(person.pk)
            if grade and grade.overridden and not include_overridden:
                counts["kept_manual"] += 1
                continue
            result = evaluate(specs, facts[person.pk])
            if result is None:  # validate_rules makes this impossible; refuse rather than skip
                raise ValidationError(_("The active rules leave %(name)s ungraded.") % {"name": person.name})
            card, reasons = result
            district = person.unit.district_path
            policy = policies.setdefault(district, policy_for(person.unit))
            changed = grade is None or grade.card != card
            _apply_card(
                actor=actor,
                person=person,
                grade=grade,
                card=card,
                reasons=reasons,
                why=_("Re-graded with rule set %(rs)s") % {"rs": rule_set},
                scores=_scores_snapshot(facts[person.pk]),
                overridden=False,
                rule_set=rule_set,
                policy=policy,
            )
            counts["graded"] += 1
            counts["changed"] += int(changed)
    audit_record(
        actor=actor, action=Action.CARD_REGRADE, unit=actor.unit, changes={k: [None, v] for k, v in counts.items()}
    )
    return counts


@transaction.atomic
def card_override(*, actor: Any, person: Person, card: str, reason: str) -> PersonGrade:
    """Set a card by hand. The reason is mandatory and kept in the history."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    errors = {}
    if card not in Card.values:
        errors["card"] = _("Choose a card.")
    if not (reason or "").strip():
        errors["reason"] = _("Say why you are changing the card by hand.")
    if errors:
        raise ValidationError(errors)
    grade = PersonGrade.objects.select_for_update().filter(person=person).first()
    facts = _facts_for([person], timezone.localdate())[person.pk]
    return _apply_card(
        actor=actor,
        person=person,
        grade=grade,
        card=card,
        reasons=[reason.strip()],
        why=reason.strip(),
        scores=_scores_snapshot(facts),
        overridden=True,
        rule_set=None,
        policy=policy_for(person.unit),
    )
