"""Reads of the portal's pending items: staff through core.access scoping
(their station's and below), residents only their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.access import scope
from portal.models import Feedback, HelpRequest, PortalAccount


def help_requests_visible(user: Any) -> QuerySet[HelpRequest]:
    return scope(HelpRequest.objects.select_related("unit", "need_type", "need", "account"), user)


def feedback_visible(user: Any) -> QuerySet[Feedback]:
    return scope(Feedback.objects.select_related("unit", "account"), user)


def own_help_requests(account: PortalAccount) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(account=account).select_related("need_type", "need", "unit")


def own_feedback(account: PortalAccount) -> QuerySet[Feedback]:
    return Feedback.objects.filter(account=account).select_related("unit")
