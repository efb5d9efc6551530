"""The station's document archive (档案管理): rule books and manuals,
contracts, scanned minutes and photos, each filed under a category with its
year and retention period (保管期限), its file kept only in the configured
storage and served through core.uploads.serve after the scope check. A
replaced file is kept as an earlier version; a document used as evidence for
a self-evaluation item is retired, never deleted."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from archive.storage import archive_upload_to


class Category(models.Model):
    """An archive category: rows of data (defaults by data migration), so a
    district's own list needs no code; one taken out of use is not offered."""

    name = models.CharField(_("name"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("archive category")
        verbose_name_plural = _("archive categories")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


def retention_end(year: int, years: int | None) -> dt.date | None:
    """Retention runs from the end of the document's year (the archives'
    practice): a 2026 document kept 10 years is due for review after
    2036-12-31. None: kept permanently (永久)."""
    return None if years is None else dt.date(year + years, 12, 31)


class Document(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="+", verbose_name=_("category"))
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    retention_years = models.PositiveSmallIntegerField(_("retention period (years)"), null=True, blank=True)
    retention_ends = models.DateField(_("retention ends"), null=True, blank=True, db_index=True)
    description = models.TextField(_("description"), blank=True)
    file = models.FileField(upload_to=archive_upload_to, max_length=200)  # the configured storage (core/files.py)
    file_name = models.CharField(_("file name"), max_length=200)
    file_type = models.CharField(max_length=100)
    file_size = models.PositiveIntegerField(default=0)
    # Text read from the file when it was filed (archive/extract.py), for the search box.
    text = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    retired_reason = models.CharField(_("reason retired"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("archived document")
        verbose_name_plural = _("archived documents")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def permanent(self) -> bool:
        return self.retention_years is None


class Version(models.Model):
    """A file the document had before it was replaced, kept as it was."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    file = models.FileField(upload_to=archive_upload_to, max_length=200)
    file_name = models.CharField(_("file name"), max_length=200)
    file_type = models.CharField(max_length=100)
    file_size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("filed at"))
    replaced_at = models.DateTimeField(_("replaced at"), auto_now_add=True)
    note = models.CharField(_("why replaced"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["-replaced_at", "-id"]

    def __str__(self) -> str:
        return self.file_name


class Evidence(models.Model):
    """A document shown as evidence (佐证材料) for one item of a self-evaluation."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="evidence")
    score = models.ForeignKey(
        "workrecords.SelfEvaluationScore", on_delete=models.CASCADE, related_name="archive_evidence"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("self-evaluation evidence")
        verbose_name_plural = _("self-evaluation evidence")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["document", "score"], name="archive_evidence_once")]

    def __str__(self) -> str:
        return f"{self.document_id}:{self.score_id}"
