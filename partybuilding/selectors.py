"""Scoped reads of Party-building records (every query goes through core.access)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.access import scope
from partybuilding.models import Agreement, Commitment, PartyOrganisation


def organisations_visible(user: Any) -> QuerySet[PartyOrganisation]:
    return scope(PartyOrganisation.objects.all(), user).select_related("unit")


def agreements_visible(user: Any) -> QuerySet[Agreement]:
    today = timezone.localdate()
    return (
        scope(Agreement.objects.all(), user)
        .select_related("unit", "organisation", "enterprise")
        .annotate(
            n_commitments=Count("commitments", distinct=True),
            n_delivered=Count("commitments", filter=Q(commitments__delivered_on__isnull=False), distinct=True),
            n_overdue=Count(
                "commitments",
                filter=Q(commitments__delivered_on__isnull=True, commitments__due_on__lt=today),
                distinct=True,
            ),
        )
    )


def commitments_visible(user: Any) -> QuerySet[Commitment]:
    return scope(Commitment.objects.all(), user, "agreement__unit").select_related("agreement", "agreement__unit")
