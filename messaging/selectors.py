"""Scoped reads of the messaging app."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.access import scope
from core.roles import Level
from messaging.models import Delivery, Status
from orgs.models import OrgUnit


def deliveries_visible(user: Any) -> QuerySet[Delivery]:
    """Deliveries to recipients in the user's subtree (an address given
    outright belongs to the unit it was sent for)."""
    return scope(Delivery.objects.select_related("unit"), user)


def deliveries_failed_count(user: Any) -> int:
    return deliveries_visible(user).filter(status=Status.FAILED).count()


def stations_with_robots(user: Any) -> QuerySet[OrgUnit]:
    """The stations in the user's subtree with their WeCom robot (if any)."""
    return scope(OrgUnit.objects.filter(level=Level.STATION), user, "id").select_related("wecom_webhook")
