from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.access import scope
from reports.models import ReportJob, ReportNarrative


def jobs_visible(user: Any) -> QuerySet[ReportJob]:
    return scope(ReportJob.objects.all(), user).select_related("unit", "requested_by")


def narratives_visible(user: Any) -> QuerySet[ReportNarrative]:
    return scope(ReportNarrative.objects.all(), user).select_related("unit")
