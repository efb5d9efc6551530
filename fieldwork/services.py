"""Writes of the field app: the district's number of days. (A visit sent from
a phone is written by grading's visit_log, through fieldwork.sending.)"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope
from fieldwork import conf
from fieldwork.models import FieldPolicy
from orgs.models import Level


@transaction.atomic
def field_policy_set(*, actor: Any, district: Any, keep_days: int) -> FieldPolicy:
    """How many days a phone keeps the visit list without a refresh."""
    require(actor, Perm.CONFIG_MANAGE)
    require_unit_in_scope(actor, district)
    if district.level != Level.DISTRICT:
        raise ValidationError(_("Only a district sets this."))
    if not 1 <= keep_days <= conf.KEEP_DAYS_MAX:
        raise ValidationError({"keep_days": _("Choose between 1 and %(n)s days.") % {"n": conf.KEEP_DAYS_MAX}})
    before = conf.keep_days(district)
    policy, _created = FieldPolicy.objects.update_or_create(unit=district, defaults={"keep_days": keep_days})
    audit_record(
        actor=actor, action=Action.FIELD_POLICY_UPDATE, target=policy, changes={"keep_days": [before, keep_days]}
    )
    return policy
