"""Writes of the notification centre: reading and settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import Perm, require, require_unit_in_scope
from core.roles import Level
from notifications.api import forget_unread
from notifications.events import CHANNELS, Event
from notifications.models import DistrictPreference, Notification, Preference, UserPreference
from notifications.preferences import Prefs, preferences_of
from notifications.selectors import notifications_of


def notification_open(*, actor: Any, notification: Notification) -> Notification:
    """Mark one of the actor's notifications read (opening it does)."""
    if notification.user_id != actor.pk:
        raise ValidationError(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        forget_unread([actor.pk])
    return notification


def notifications_read_all(*, actor: Any) -> int:
    """Mark every unread notification of the actor read; how many were."""
    n = notifications_of(actor).filter(read_at__isnull=True).update(read_at=timezone.now())
    forget_unread([actor.pk])
    return n


def _apply(
    row: Preference,
    *,
    events_on: list[str],
    channels: list[str],
    digest_at: dt.time | None,
    quiet_from: dt.time | None,
    quiet_until: dt.time | None,
) -> None:
    unknown = set(events_on) - set(Event.values)
    if unknown:
        raise ValidationError({"events_on": _("Unknown event.")})
    if set(channels) - {code for code, _label in CHANNELS}:
        raise ValidationError({"channels": _("Unknown channel.")})
    if (quiet_from is None) != (quiet_until is None):
        raise ValidationError({"quiet_until": _("Give both ends of the quiet hours, or neither.")})
    row.events_off = [e for e in Event.values if e not in events_on]
    row.channels = [code for code, _label in CHANNELS if code in channels]
    row.digest_at = digest_at
    row.quiet_from = quiet_from
    row.quiet_until = quiet_until
    row.save()


@transaction.atomic
@transaction.atomic
def preferences_update(*, actor: Any, **fields: Any) -> UserPreference:
    """The actor's own settings (anyone signed in may choose theirs). Saving
    the district's defaults untouched keeps following them: no row is made."""
    row = UserPreference.objects.filter(user_id=actor.pk).first()
    if row is None:
        row = UserPreference(user=actor)
        if _chosen(fields) == preferences_of(actor):
            return row
    _apply(row, **fields)
    return row


def _chosen(fields: dict[str, Any]) -> Prefs:
    return Prefs(
        frozenset(e for e in Event.values if e not in fields["events_on"]),
        tuple(code for code, _label in CHANNELS if code in fields["channels"]),
        fields["digest_at"],
        fields["quiet_from"],
        fields["quiet_until"],
    )


@transaction.atomic
def district_defaults_update(*, actor: Any, district: Any, **fields: Any) -> DistrictPreference:
    """The district's defaults for everyone who has not chosen."""
    require(actor, Perm.CONFIG_MANAGE)
    require_unit_in_scope(actor, district)
    if district.level != Level.DISTRICT:
        raise ValidationError(_("Defaults are set for a district."))
    row = DistrictPreference.objects.filter(district=district).first()
    if row is None:
        row = DistrictPreference(district=district)
        if _chosen(fields) == Prefs():  # Linli's own defaults saved untouched: nothing to keep
            return row
    _apply(row, **fields)
    return row
