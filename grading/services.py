"""Writes of the grading area: assessments, grading, overrides, visits,
major events, rule sets and follow-up policies. One transaction and one
audit event (at least) per call."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope, under, within
from grading.models import (
    CARD_RANK,
    VISIT_NEED_NOTES_MAX,
    Assessment,
    Card,
    CardChange,
    EventKind,
    FollowUpPolicy,
    GradingRule,
    GradingRuleSet,
    Instrument,
    InstrumentVersion,
    MajorEvent,
    PersonGrade,
    Visit,
    VisitMode,
)
from grading.rules import Facts, RuleSpec, due_date, evaluate, score
from grading.selectors import may_follow_up
from people.models import Person, PersonCategory, age_on

# ---------------------------------------------------------------- policies


def policy_for(unit: Any) -> FollowUpPolicy:
    """The follow-up policy of the unit's district, else the default row
    (one query: the district's row sorts before the default)."""
    district_path = unit.path.split("/", 1)[0] + "/"
    policy = (
        FollowUpPolicy.objects.filter(Q(district__path=district_path) | Q(district__isnull=True))
        .order_by(F("district").asc(nulls_last=True))
        .first()
    )
    return policy or FollowUpPolicy()


def _open_event_due(person_id: int) -> date | None:
    due = MajorEvent.objects.filter(person_id=person_id, resolved_by__isnull=True).aggregate(d=Min("due_at"))["d"]
    return timezone.localdate(due) if due else None


_UNSET: Any = object()


def refresh_due(grade: PersonGrade, policy: FollowUpPolicy, event_due: Any = _UNSET) -> None:
    if event_due is _UNSET:
        event_due = _open_event_due(grade.person_id)
    grade.card_rank = CARD_RANK[Card(grade.card)]
    grade.next_due = due_date(
        graded_on=grade.first_graded_on or timezone.localdate(grade.graded_at),
        card=grade.card,
        interval_days=policy.interval(grade.card),
        last_visit=grade.last_visit_on,
        event_due=event_due,
    )


# ---------------------------------------------------------------- assessments


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    person: Person,
    version: InstrumentVersion,
    answers: dict[str, int],
    assessed_on: date,
    notes: str = "",
) -> Assessment:
    """Score and store an assessment. Every item must be answered."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("An assessment cannot be dated in the future.")})
    try:
        dims, total, level, level_name, missing = score(version.schema, answers)
    except ValueError as exc:
        raise ValidationError({"answers": _("Item %(item)s has no such option.") % {"item": exc.args[0]}}) from exc
    if missing:
        texts = {i["code"]: i["text"] for i in version.items()}
        raise ValidationError(
            {
                "answers": _("Answer every item; missing: %(items)s.")
                % {"items": "、".join(texts.get(m, m) for m in missing)}
            }
        )
    unknown = set(answers) - {i["code"] for i in version.items()}
    if unknown:
        raise ValidationError({"answers": _("Unknown items: %(items)s.") % {"items": ", ".join(sorted(unknown))}})
    assessment = Assessment.objects.create(
        person=person,
        unit=person.unit,
        version=version,
        assessed_on=assessed_on,
        answers=answers,
        dimension_scores=dims,
        total=total,
        level=level,
        level_name=level_name,
        notes=notes,
        assessor=actor,
    )
    # Health scores are sensitive: the audit row keeps only the fact and the version.
    audit_record(
        actor=actor,
        action=Action.ASSESSMENT_RECORD,
        target=assessment,
        changes={"instrument": [None, str(version)], "total": [None, "***"]},
    )
    return assessment


# ---------------------------------------------------------------- rule sets


def active_rule_set() -> GradingRuleSet | None:
    return GradingRuleSet.objects.filter(is_active=True).order_by("-number").first()


def rule_specs(rule_set: GradingRuleSet) -> list[RuleSpec]:
    return [
        RuleSpec(
            card=r.card,
            reason=r.reason,
            categories=frozenset(r.categories or ()),
            min_age=r.min_age,
            instrument=r.instrument.code if r.instrument_id else None,
            min_level=r.min_level,
            min_score=r.min_score,
        )
        for r in rule_set.rules.select_related("instrument").order_by("order", "id")
    ]


def validate_rules(rules: list[dict[str, Any]]) -> None:
    """Refuse a rule set that could leave a person ungraded or names
    unknown categories/instruments."""
    from people.models import CategoryType

    errors: list[str] = []
    if not rules:
        raise ValidationError({"rules": _("A rule set needs at least one rule.")})
    known = set(CategoryType.objects.values_list("code", flat=True))
    for n, rule in enumerate(rules, start=1):
        if rule.get("card") not in Card.values:
            errors.append(_("Rule %(n)d: choose a card.") % {"n": n})
        if not (rule.get("reason") or "").strip():
            errors.append(_("Rule %(n)d: give the reason shown to workers.") % {"n": n})
        bad = [c for c in rule.get("categories") or [] if c not in known]
        if bad:
            errors.append(_("Rule %(n)d: unknown categories %(codes)s.") % {"n": n, "codes": ", ".join(bad)})
        has_threshold = rule.get("min_level") is not None or rule.get("min_score") is not None
        if rule.get("instrument") is None and has_threshold:
            errors.append(_("Rule %(n)d: an assessment threshold needs an instrument.") % {"n": n})
        if rule.get("instrument") is not None and not has_threshold:
            errors.append(_("Rule %(n)d: give a level or score threshold for the instrument.") % {"n": n})
    if not any(not r.get("categories") and r.get("min_age") is None and r.get("instrument") is None for r in rules):
        errors.append(
            _("The rules could leave a person ungraded: add a final catch-all rule with no condition (e.g. green).")
        )
    if errors:
        raise ValidationError({"rules": errors})


@transaction.atomic
def ruleset_create(
    *, actor: Any, name: str, rules: list[dict[str, Any]], note: str = "", activate: bool = False
) -> GradingRuleSet:
    """A new version of the grading rules. Activating it re-grades nobody:
    re-grading is a separate request (`grades_refresh`)."""
    require(actor, Perm.CONFIG_MANAGE)
    if not name.strip():
        raise ValidationError({"name": _("Give the rule set a name.")})
    validate_rules(rules)
    number = (GradingRuleSet.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    rule_set = GradingRuleSet.objects.create(number=number, name=name.strip(), note=note, created_by=actor)
    for order, rule in enumerate(rules, start=1):
        GradingRule.objects.create(
            rule_set=rule_set,
            order=order * 10,
            card=rule["card"],
            reason=rule["reason"].strip(),
            categories=list(rule.get("categories") or []),
            min_age=rule.get("min_age"),
            instrument=rule.get("instrument"),
            min_level=rule.get("min_level"),
            min_score=rule.get("min_score"),
        )
    audit_record(
        actor=actor,
        action=Action.RULESET_CREATE,
        target=rule_set,
        unit=actor.unit,
        changes={"number": [None, number], "rules": [None, len(rules)]},
    )
    if activate:
        ruleset_activate(actor=actor, rule_set=rule_set)
    return rule_set


@transaction.atomic
def ruleset_activate(*, actor: Any, rule_set: GradingRuleSet) -> GradingRuleSet:
    require(actor, Perm.CONFIG_MANAGE)
    validate_rules(
        [
            {
                "card": r.card,
                "reason": r.reason,
                "categories": r.categories,
                "min_age": r.min_age,
                "instrument": r.instrument,
                "min_level": r.min_level,
                "min_score": r.min_score,
            }
            for r in rule_set.rules.select_related("instrument")
        ]
    )
    previous = active_rule_set()
    GradingRuleSet.objects.filter(is_active=True).exclude(pk=rule_set.pk).update(is_active=False)
    GradingRuleSet.objects.filter(pk=rule_set.pk).update(is_active=True)
    rule_set.is_active = True
    audit_record(
        actor=actor,
        action=Action.RULESET_ACTIVATE,
        target=rule_set,
        unit=actor.unit,
        changes={"active": [str(previous) if previous else None, str(rule_set)]},
    )
    return rule_set


# ---------------------------------------------------------------- grading


def _facts_for(persons: list[Person], day: date) -> dict[int, Facts]:
    return facts_by_id([(p.pk, p.birth_date) for p in persons], day)


def facts_by_id(people: list[tuple[int, date]], day: date) -> dict[int, Facts]:
    """Facts of (person id, birth date) pairs in two queries reading plain
    rows (no model instances: enrolling an import reads 100,000 of them)."""
    ids = [pk for pk, _birth in people]
    cats: dict[int, set[str]] = defaultdict(set)
    held = (
        PersonCategory.objects.filter(person_id__in=ids, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .values_list("person_id", "category__code")
    )
    for person_id, code in held:
        cats[person_id].add(code)
    latest: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    rows = (
        Assessment.objects.filter(person_id__in=ids)
        .order_by("assessed_on", "id")
        .values_list("person_id", "version__instrument__code", "level", "total")
    )
    for person_id, code, level, total in rows:  # later rows overwrite earlier: latest wins
        latest[person_id][code] = (level, total)
    return {
        pk: Facts(categories=frozenset(cats[pk]), age=age_on(birth, day), assessments=latest[pk]) for pk, birth in people
    }


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
        grade = PersonGrade(person=person, unit=person.unit, first_graded_on=timezone.localdate(now))
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
            district = person.unit.path.split("/", 1)[0]
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
    audit_record(actor=actor, action=Action.CARD_REGRADE, unit=actor.unit, changes={k: [None, v] for k, v in counts.items()})
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


# ---------------------------------------------------------------- visits and events


def _visit_need_types(need_type_ids: Sequence[int], notes: str, errors: dict[str, str]) -> list[Any]:
    """The catalogue types ticked on a visit, checked: known, active, not too
    many, and notes only with at least one type (a note alone cannot be matched)."""
    from matching.conf import visit_max_needs
    from matching.models import NeedType
    from matching.needtypes import active_types, need_type_match

    ids = list(dict.fromkeys(need_type_ids))
    types = list(NeedType.objects.filter(pk__in=ids, active=True).select_related("domain"))
    limit = visit_max_needs()
    if len(ids) > limit:
        errors["need_type_ids"] = _("Tick at most %(n)s kinds of help per visit.") % {"n": limit}
    elif len(types) != len(ids):
        errors["need_type_ids"] = _("A kind of help you ticked is not in the catalogue or no longer in use.")
    if len(notes) > VISIT_NEED_NOTES_MAX:
        errors["needs"] = _("Keep the notes on the needs within %(n)s characters.") % {"n": VISIT_NEED_NOTES_MAX}
    elif notes.strip() and not ids:
        guess = need_type_match(notes, active_types()).need_type
        errors["need_type_ids"] = (
            _("Tick the kind of help these notes are about (perhaps %(name)s).") % {"name": guess.name}
            if guess
            else _("Tick the kind of help these notes are about.")
        )
    return sorted(types, key=lambda t: (t.order, t.code))


@transaction.atomic
def visit_log(
    *,
    actor: Any,
    person: Person,
    visited_on: date,
    mode: str = VisitMode.HOME,
    visitor_name: str = "",
    findings: str = "",
    need_type_ids: Sequence[int] = (),
    needs: str = "",
    suggested_card: str = "",
) -> Visit:
    """Log a follow-up contact; moves the person's next due date on and
    closes any major event it answers. Each kind of help ticked from the
    catalogue becomes a need record of the visit, with the notes as its
    description."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    errors: dict[str, str] = {}
    if visited_on > timezone.localdate():
        errors["visited_on"] = _("A visit cannot be dated in the future.")
    if mode not in VisitMode.values:
        errors["mode"] = _("Choose how the contact was made.")
    if suggested_card and suggested_card not in Card.values:
        errors["suggested_card"] = _("Choose a card.")
    need_types = _visit_need_types(need_type_ids, needs, errors)
    if errors:
        raise ValidationError(errors)
    visit = Visit.objects.create(
        person=person,
        unit=person.unit,
        mode=mode,
        visited_on=visited_on,
        visitor=actor,
        visitor_name=visitor_name or getattr(actor, "full_name", "") or str(actor),
        findings=findings,
        needs=needs.strip(),
        suggested_card=suggested_card,
    )
    if need_types:
        from matching.models import NeedSource
        from matching.services import need_create

        for t in need_types:
            need_create(
                actor=actor,
                person=person,
                domain=t.domain,
                need_type=t.code,
                description=needs.strip(),
                source=NeedSource.VISIT,
                visit=visit,
            )
    end_of_day = timezone.make_aware(datetime.combine(visited_on + timedelta(days=1), datetime.min.time()))
    MajorEvent.objects.filter(person=person, resolved_by__isnull=True, occurred_at__lt=end_of_day).update(
        resolved_by=visit
    )
    grade = PersonGrade.objects.select_for_update().filter(person=person).first()
    if grade is not None:
        if grade.last_visit_on is None or visited_on > grade.last_visit_on:
            grade.last_visit_on = visited_on
        refresh_due(grade, policy_for(person.unit))
        grade.save(update_fields=["last_visit_on", "next_due", "card_rank"])
    audit_record(
        actor=actor,
        action=Action.VISIT_LOG,
        target=visit,
        changes={
            "mode": [None, mode],
            "visited_on": [None, visited_on.isoformat()],
            "needs": [None, [t.code for t in need_types]],
        },
    )
    return visit


@transaction.atomic
def major_event_record(*, actor: Any, person: Person, kind: str, occurred_at: datetime, note: str = "") -> MajorEvent:
    """A hospitalisation, bereavement, disaster…: a visit is due within the
    policy window (24 h by default)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    errors = {}
    if kind not in EventKind.values:
        errors["kind"] = _("Choose what happened.")
    if occurred_at > timezone.now() + timedelta(minutes=5):
        errors["occurred_at"] = _("The event cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    policy = policy_for(person.unit)
    event = MajorEvent.objects.create(
        person=person,
        unit=person.unit,
        kind=kind,
        occurred_at=occurred_at,
        due_at=occurred_at + timedelta(hours=policy.major_event_hours),
        note=note,
        recorded_by=actor,
    )
    grade = PersonGrade.objects.select_for_update().filter(person=person).first()
    if grade is not None:
        refresh_due(grade, policy)
        grade.save(update_fields=["next_due", "card_rank"])
    audit_record(actor=actor, action=Action.MAJOR_EVENT_RECORD, target=event, changes={"kind": [None, kind]})
    return event


@transaction.atomic
def grade_assign(*, actor: Any, person: Person, responsible: Any) -> PersonGrade:
    """Name the worker responsible for a person's follow-up."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    grade = PersonGrade.objects.select_for_update().filter(person=person).first()
    if grade is None:
        raise ValidationError(_("Grade the person before assigning a worker."))
    if responsible is not None and not may_follow_up(responsible, person.unit):
        raise ValidationError({"responsible": _("The worker must work where the person lives.")})
    before = grade.responsible_id
    grade.responsible = responsible
    grade.save(update_fields=["responsible"])
    audit_record(
        actor=actor,
        action=Action.CARD_ASSIGN,
        target=grade,
        changes={"responsible": [before, responsible.pk if responsible else None]},
    )
    return grade


@transaction.atomic
def grades_reassign(*, actor: Any, grades: QuerySet[PersonGrade], responsible: Any) -> int:
    """Name one worker responsible for several residents' follow-up (the
    bulk action of the grading lists): every resident must live where the
    worker may follow up (`may_follow_up`), else nothing changes. One audit
    event per resident, as for a single assignment."""
    require(actor, Perm.RECORD_EDIT)
    rows = list(grades.select_for_update().select_related("person", "unit"))
    outside = [g.person.name for g in rows if not may_follow_up(responsible, g.person.unit)]
    if outside:
        raise ValidationError(
            _("%(worker)s may not follow up: %(names)s.") % {"worker": responsible, "names": "、".join(outside)}
        )
    n = 0
    for grade in rows:
        require_unit_in_scope(actor, grade.person.unit)
        if grade.responsible_id == responsible.pk:
            continue
        before = grade.responsible_id
        grade.responsible = responsible
        grade.save(update_fields=["responsible"])
        audit_record(
            actor=actor,
            action=Action.CARD_ASSIGN,
            target=grade,
            changes={"responsible": [before, responsible.pk]},
        )
        n += 1
    return n


POLICY_FIELDS = (
    "red_days",
    "blue_days",
    "green_days",
    "major_event_hours",
    "escalate_lead_days",
    "escalate_district_days",
)


@transaction.atomic
def policy_update(*, actor: Any, district: Any, **fields: Any) -> FollowUpPolicy:
    """Set a district's intervals and escalation delays; due dates of the
    district's recipients are recomputed."""
    require(actor, Perm.CONFIG_MANAGE)
    require_unit_in_scope(actor, district)
    errors = {}
    for name in POLICY_FIELDS:
        value = fields.get(name)
        if value is None or int(value) < 1:
            errors[name] = _("Give a whole number of at least 1.")
    if not errors and fields["escalate_district_days"] < fields["escalate_lead_days"]:
        errors["escalate_district_days"] = _("The district is told after the station lead, not before.")
    if not errors and not fields["red_days"] <= fields["blue_days"] <= fields["green_days"]:
        errors["blue_days"] = _("Intervals must not shrink from red to blue to green.")
    if errors:
        raise ValidationError(errors)
    default = policy_for(district)
    policy, _created = FollowUpPolicy.objects.get_or_create(
        district=district, defaults={"rate_categories": list(default.rate_categories)}
    )
    before = {f: getattr(policy, f) for f in POLICY_FIELDS}
    for name in POLICY_FIELDS:
        setattr(policy, name, int(fields[name]))
    if "rate_categories" in fields:
        policy.rate_categories = list(fields["rate_categories"])
    policy.save()
    grades = list(under(PersonGrade.objects.all(), district))
    event_dues = {
        row["person_id"]: timezone.localdate(row["d"])
        for row in MajorEvent.objects.filter(within(district), resolved_by__isnull=True)
        .values("person_id")
        .annotate(d=Min("due_at"))
    }
    for grade in grades:
        refresh_due(grade, policy, event_dues.get(grade.person_id))
    PersonGrade.objects.bulk_update(grades, ["next_due", "card_rank"], batch_size=500)
    audit_record(
        actor=actor,
        action=Action.POLICY_UPDATE,
        target=policy,
        unit=district,
        changes={f: [before[f], getattr(policy, f)] for f in POLICY_FIELDS if before[f] != getattr(policy, f)},
    )
    return policy


def instrument_versions() -> Iterable[InstrumentVersion]:
    """The current version of each active instrument."""
    out = []
    for inst in Instrument.objects.filter(active=True).prefetch_related("versions"):
        versions = sorted(inst.versions.all(), key=lambda v: v.number)
        if versions:
            out.append(versions[-1])
    return out


def instrument_current(code: str) -> InstrumentVersion:
    """The current version of an active instrument, by code."""
    instrument = Instrument.objects.filter(code=code, active=True).first()
    version = instrument.current_version() if instrument else None
    if version is None:
        raise ValidationError({"instrument": _("Unknown assessment instrument.")})
    return version


def _schema_errors(schema: Any) -> list[str]:
    """Problems with an instrument schema, in the user's language."""
    errors: list[str] = []
    if not isinstance(schema, dict) or not isinstance(schema.get("dimensions"), list) or not schema["dimensions"]:
        return [_("Give at least one dimension with items.")]
    codes: set[str] = set()
    for dim in schema["dimensions"]:
        if not isinstance(dim, dict) or not dim.get("code") or not dim.get("name") or not dim.get("items"):
            errors.append(_("Every dimension needs a code, a name and items."))
            continue
        for item in dim["items"]:
            code = item.get("code") if isinstance(item, dict) else None
            if not code or not item.get("text"):
                errors.append(_("Every item needs a code and a text."))
                continue
            if code in codes:
                errors.append(_("Item code %(code)s is used twice.") % {"code": code})
            codes.add(code)
            options = item.get("options") or []
            if len(options) < 2 or any(
                not isinstance(o, dict) or not o.get("label") or not isinstance(o.get("score"), int) for o in options
            ):
                errors.append(
                    _("Item %(code)s needs at least two options, each with a label and a whole-number score.")
                    % {"code": code}
                )
    if errors:
        return errors
    top = sum(max(o["score"] for o in i["options"]) for d in schema["dimensions"] for i in d["items"])
    low = sum(min(o["score"] for o in i["options"]) for d in schema["dimensions"] for i in d["items"])
    levels = schema.get("levels") or []
    covered: set[int] = set()
    for band in levels:
        if not isinstance(band, dict) or not {"level", "name", "min", "max"} <= set(band):
            return [_("Every level needs a number, a name, a minimum and a maximum score.")]
        span = set(range(int(band["min"]), int(band["max"]) + 1))
        if span & covered:
            errors.append(_("Level bands overlap at %(score)s points.") % {"score": min(span & covered)})
        covered |= span
    gaps = sorted(set(range(low, top + 1)) - covered)
    if gaps:
        errors.append(
            _("Scores %(scores)s fall in no level: the bands must cover %(low)s–%(top)s.")
            % {"scores": ", ".join(str(g) for g in gaps[:5]), "low": low, "top": top}
        )
    return errors


@transaction.atomic
def instrument_version_publish(*, actor: Any, instrument: Instrument, schema: Any, note: str = "") -> InstrumentVersion:
    """Publish a new version of an instrument. Past assessments keep the
    version they were taken with."""
    require(actor, Perm.CONFIG_MANAGE)
    errors = _schema_errors(schema)
    if errors:
        raise ValidationError({"schema": errors})
    latest = instrument.versions.order_by("-number").first()
    version = InstrumentVersion.objects.create(
        instrument=instrument, number=(latest.number if latest else 0) + 1, schema=schema, note=note, created_by=actor
    )
    audit_record(
        actor=actor,
        action=Action.INSTRUMENT_PUBLISH,
        target=version,
        unit=actor.unit,
        changes={"version": [latest.number if latest else None, version.number]},
        note=note,
    )
    return version
