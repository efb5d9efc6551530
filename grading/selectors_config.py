"""Reads of the grading configuration: the follow-up policy of a unit, the
rule set in force and its rules, the facts the rules read, and the current
instrument versions."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils.translation import gettext as _

from core.access import at_or_above
from core.lookups import AnyOf
from grading.models import (
    Assessment,
    FollowUpPolicy,
    GradingRuleSet,
    Instrument,
    InstrumentVersion,
    VisitSettings,
)
from grading.rules import Facts, RuleSpec
from people.models import PersonCategory, age_on


def policy_for(unit: Any) -> FollowUpPolicy:
    """The follow-up policy of the unit's district, else the default row
    (one query: the district's row sorts before the default)."""
    policy = (
        FollowUpPolicy.objects.filter(at_or_above(unit, "district") | Q(district__isnull=True))
        .order_by(F("district").asc(nulls_last=True))
        .first()
    )
    return policy or FollowUpPolicy()


def district_of(unit: Any) -> Any:
    """The district a unit belongs to (itself when it is one)."""
    from core.roles import Level

    return unit if unit.level == Level.DISTRICT else (unit.ancestors() or [unit])[0]


def visit_settings_for(unit: Any) -> VisitSettings:
    """The unit's district's visit settings; an unsaved row with the
    configured defaults when the district has saved none."""
    from grading import conf

    found = VisitSettings.objects.filter(at_or_above(unit, "district")).first()
    return found or VisitSettings(
        location_checkin=conf.location_checkin_default(), keep_photo_location=conf.keep_photo_location_default()
    )


def active_rule_set() -> GradingRuleSet | None:
    return GradingRuleSet.objects.filter(is_active=True).order_by("-number").first()


def rule_specs(rule_set: GradingRuleSet) -> list[RuleSpec]:
    return [
        RuleSpec(
            card=r.card,
            reason=r.reason,
            categories=frozenset(r.categories or ()),
            min_age=r.min_age,
            instrument=r.instrument.code if r.instrument is not None else None,
            min_level=r.min_level,
            min_score=r.min_score,
        )
        for r in rule_set.rules.select_related("instrument").order_by("order", "id")
    ]


def facts_by_id(people: list[tuple[int, date]], day: date) -> dict[int, Facts]:
    """Facts of (person id, birth date) pairs in two queries reading plain
    rows (no model instances: enrolling an import reads 100,000 of them)."""
    ids = [pk for pk, _birth in people]
    cats: dict[int, set[str]] = defaultdict(set)
    held = (
        PersonCategory.objects.filter(AnyOf(F("person_id"), ids), start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .values_list("person_id", "category__code")
    )
    for person_id, code in held:
        cats[person_id].add(code)
    latest: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    rows = (
        Assessment.objects.filter(AnyOf(F("person_id"), ids))
        .order_by("assessed_on", "id")
        .values_list("person_id", "version__instrument__code", "level", "total")
    )
    for person_id, code, level, total in rows:  # later rows overwrite earlier: latest wins
        latest[person_id][code] = (level, total)
    return {
        pk: Facts(categories=frozenset(cats[pk]), age=age_on(birth, day), assessments=latest[pk])
        for pk, birth in people
    }


def instrument_current(code: str) -> InstrumentVersion:
    """The current version of an active instrument, by code."""
    instrument = Instrument.objects.filter(code=code, active=True).first()
    version = instrument.current_version() if instrument else None
    if version is None:
        raise ValidationError({"instrument": _("Unknown assessment instrument.")})
    return version
