"""Writes: a district's follow-up intervals and escalation delays."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope, under, within
from grading.models import (
    FollowUpPolicy,
    MajorEvent,
    PersonGrade,
)
from grading.selectors_config import policy_for
from grading.services.due import refresh_due

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
