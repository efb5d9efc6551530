"""Writes: assessments recorded with a published instrument version."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope
from grading.models import (
    Assessment,
    InstrumentVersion,
)
from grading.rules import score
from people.models import Person


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
