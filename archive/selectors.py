"""Scoped reads of the archive: every query goes through core.access.scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from archive.models import Category, Document, Evidence, Version
from core.access import scope


def documents_visible(user: Any) -> QuerySet[Document]:
    return (
        scope(Document.objects.all(), user)
        .select_related("unit", "category", "uploaded_by")
        .annotate(n_evidence=Count("evidence"))
    )


def retention_due(user: Any) -> QuerySet[Document]:
    """Documents kept past their retention period and not yet retired: to
    review (keep longer, or retire); nothing is ever deleted for it."""
    return documents_visible(user).filter(retention_ends__lt=timezone.localdate(), retired_at__isnull=True)


def versions_visible(user: Any) -> QuerySet[Version]:
    return scope(Version.objects.all(), user, "document__unit").select_related("document", "uploaded_by")


def evidence_visible(user: Any) -> QuerySet[Evidence]:
    """Evidence links the user sees: both the document and the evaluation in scope."""
    qs = scope(Evidence.objects.all(), user, "document__unit")
    return scope(qs, user, "score__evaluation__unit").select_related(
        "document", "score__item", "score__evaluation__unit", "linked_by"
    )


def categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True)
