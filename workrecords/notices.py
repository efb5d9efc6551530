"""Whom the station's records tell (notifications.api.notify): a weekly
summary goes to its station's lead and the guidance centre (抄送)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from core.roles import Level, Role
from notifications.api import Event, notify


def summary_readers(unit: Any) -> list[Any]:
    """The station's leads and the district's administrators and supervisors."""
    leads = Q(role=Role.STATION_LEAD, unit=unit.station)
    district = Q(unit__level=Level.DISTRICT, role__in=[Role.DISTRICT_ADMIN, Role.SUPERVISOR])
    return list(get_user_model().objects.filter(leads | district, is_active=True))


def summary_sent(*, summary: Any, actor: Any) -> None:
    notify(
        event=Event.SUMMARY_SENT,
        recipients=[u for u in summary_readers(summary.unit) if u.pk != actor.pk],
        obj=summary,
        subject=f"{summary.unit.name} {summary.date:%Y-%m-%d}",
        link=reverse("workrecords:summaries_detail", args=[summary.pk]),
        unit=summary.unit,
    )
