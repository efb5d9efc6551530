"""Writes: grading rule sets (created as a whole, put in force one at a time)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require
from grading.models import (
    Card,
    GradingRule,
    GradingRuleSet,
)
from grading.selectors_config import active_rule_set


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
