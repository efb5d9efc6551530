from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope
from core.models import ServiceDomain
from matching.models import Need, NeedSource
from people.models import Person


@transaction.atomic
def need_create(
    *,
    actor: Any,
    person: Person,
    domain: ServiceDomain | None,
    need_type: str,
    description: str = "",
    quantity: int = 1,
    window_start: date | None = None,
    window_end: date | None = None,
    source: str = NeedSource.REQUEST,
) -> Need:
    """Record a need for a resident (from a visit, assessment, request or wish)."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, person.unit)
    errors: dict[str, str] = {}
    if domain is None:
        errors["domain"] = _("Choose the service domain of the need.")
    if not need_type.strip():
        errors["need_type"] = _("Say what kind of help is needed.")
    if quantity < 1:
        errors["quantity"] = _("The quantity must be at least 1.")
    if window_start and window_end and window_end < window_start:
        errors["window_end"] = _("The time window ends before it starts.")
    if errors:
        raise ValidationError(errors)
    need = Need.objects.create(
        unit=person.unit,
        person=person,
        domain=domain,
        need_type=need_type.strip(),
        description=description,
        quantity=quantity,
        window_start=window_start,
        window_end=window_end,
        source=source,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="need.create",
        target=need,
        unit=person.unit,
        changes={"need_type": [None, need.need_type], "source": [None, source]},
    )
    return need
