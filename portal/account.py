"""The portal account's own changes: the first sign-in's few answers and
the privacy notice, the display settings."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.actions import Action
from audit.services import audit_record
from core.identity import mask_phone, normalise_name
from core.roles import Level
from orgs.models import OrgUnit
from portal.models import PortalAccount
from portal.signin import district, mobile


def communities() -> QuerySet[OrgUnit]:
    """The communities a resident may say they live in, by station."""
    return OrgUnit.objects.filter(level=Level.COMMUNITY).select_related("parent").order_by("path")


def station_of(account: PortalAccount | None) -> OrgUnit | None:
    """Whose name, phone and address the portal shows: the account's
    station, else the district centre."""
    if account is not None and account.station_id is not None:
        return account.station
    return district()


def guardian_check(*, under_14: bool, name: str, phone: str, relation: str) -> dict[str, str]:
    """PIPL: a child under 14 acts only with a guardian. The guardian's
    name, phone and relation, normalised, or ValidationError per field."""
    if not under_14:
        return {"guardian_name": "", "guardian_phone": "", "guardian_relation": ""}
    errors: dict[str, str] = {}
    name, relation = normalise_name(name), normalise_name(relation)
    message = gettext_lazy("A child under 14 needs a guardian: give the guardian's name, phone and relation.")
    if not name:
        errors["guardian_name"] = str(message)
    if not relation:
        errors["guardian_relation"] = str(message)
    try:
        phone = mobile(phone)
    except ValidationError:
        errors["guardian_phone"] = _("Enter the guardian's mobile number: 11 digits starting with 1.")
    if errors:
        raise ValidationError(errors)
    return {"guardian_name": name, "guardian_phone": phone, "guardian_relation": relation}


@transaction.atomic
def account_register(
    *,
    account: PortalAccount,
    name: str,
    community: OrgUnit,
    under_14: bool,
    guardian_name: str = "",
    guardian_phone: str = "",
    guardian_relation: str = "",
    accept_privacy: bool,
    now: datetime | None = None,
) -> PortalAccount:
    """The first sign-in's answers: a name, the community lived in (its
    station runs the account's queues and is the data controller), a
    guardian for a child under 14, and the privacy notice accepted."""
    errors: dict[str, str] = {}
    name = normalise_name(name)
    if not name:
        errors["name"] = _("Enter the name the station may call you by.")
    if community.level != Level.COMMUNITY:
        errors["community"] = _("Choose the community you live in.")
    if not accept_privacy:
        errors["accept_privacy"] = _("Please read and accept the privacy notice to continue.")
    try:
        guardian = guardian_check(
            under_14=under_14, name=guardian_name, phone=guardian_phone, relation=guardian_relation
        )
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        guardian = {}
    if errors:
        raise ValidationError(errors)
    account.name = name
    account.community = community
    account.station = community.station
    account.under_14 = under_14
    for key, value in guardian.items():
        setattr(account, key, value)
    account.privacy_accepted_at = now or timezone.now()
    account.save()
    audit_record(
        actor=None,
        action=Action.PORTAL_REGISTER,
        target=account,
        unit=account.station,
        changes={"account": account.pk, "phone": mask_phone(account.phone), "under_14": under_14},
    )
    return account


@transaction.atomic
def account_settings(*, account: PortalAccount, large_text: bool) -> PortalAccount:
    if account.large_text != large_text:
        account.large_text = large_text
        account.save(update_fields=["large_text"])
        audit_record(
            actor=None,
            action=Action.PORTAL_SETTINGS,
            target=account,
            unit=account.station,
            changes={"account": account.pk, "large_text": [not large_text, large_text]},
        )
    return account


def keep_months() -> int:
    return int(settings.PORTAL_KEEP_MONTHS)
