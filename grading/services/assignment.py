"""Writes: naming the worker responsible for residents' follow-up."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope
from grading import notices
from grading.models import (
    PersonGrade,
)
from grading.selectors import may_follow_up
from people.models import Person


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
    notices.recipient_assigned(grade=grade, actor=actor)
    return grade


@transaction.atomic
def grades_reassign(*, actor: Any, grades: QuerySet[PersonGrade], responsible: Any) -> int:
    """Name one worker responsible for several residents' follow-up (the
    bulk action of the grading lists): every resident must live where the
    worker may follow up (`may_follow_up`), else nothing changes. One audit
    event per resident, as for a single assignment."""
    require(actor, Perm.RECORD_EDIT)
    rows = list(grades.select_for_update(of=("self",)).select_related("person", "unit"))
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
        notices.recipient_assigned(grade=grade, actor=actor)
        n += 1
    return n
