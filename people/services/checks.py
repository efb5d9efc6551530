"""Checks the residents' writes share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import identity
from core.access import require_unit_in_scope
from core.roles import Level

if TYPE_CHECKING:
    from accounts.models import User
    from orgs.models import OrgUnit


def require_community(actor: User, unit: OrgUnit, field: str = "unit") -> None:
    """The unit is in the actor's scope and is a community (residents live in one)."""
    require_unit_in_scope(actor, unit)
    if unit.level != Level.COMMUNITY:
        raise ValidationError({field: _("Choose a community, not a station or the district.")})


def clean_phones(fields: dict[str, Any]) -> None:
    """Normalise `phone` and `phone2` in place; one error per bad number."""
    errors: dict[str, list[str]] = {}
    for key in ("phone", "phone2"):
        if fields.get(key):
            try:
                fields[key] = identity.validate_phone(fields[key])
            except ValidationError as exc:
                errors[key] = exc.messages
    if errors:
        raise ValidationError(errors)
