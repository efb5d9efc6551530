"""Marking a pair the duplicate finder offers as two different people."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope
from people.models import DuplicateDismissal, Person


@transaction.atomic
def duplicate_dismiss(*, actor: Any, first: Person, second: Person) -> DuplicateDismissal:
    """The finder no longer offers this pair (both files must be in scope)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, first.unit)
    require_unit_in_scope(actor, second.unit)
    if first.pk == second.pk:
        raise ValidationError(_("Choose two different files."))
    low, high = sorted((first, second), key=lambda p: p.pk)
    dismissal, made = DuplicateDismissal.objects.get_or_create(
        first=low, second=high, defaults={"unit": low.unit, "dismissed_by": actor}
    )
    if made:
        audit_record(
            actor=actor,
            action=Action.PERSON_DUPLICATE_DISMISS,
            target=low,
            changes={"not_same_as": [None, high.pk]},
        )
    return dismissal
