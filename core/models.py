from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceDomain(models.Model):
    """A service domain of the "4+N" model: 救助, 养老, 儿童, 社会治理 built in,
    plus local N domains an administrator adds."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=30)
    builtin = models.BooleanField(_("built in"), default=False)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("service domain (服务领域)")
        verbose_name_plural = _("service domains")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class RecordVersion(models.Model):
    """How many times an edited record was saved through an edit form or a
    PATCH (core/concurrency.py): a save names the version it was based on and
    only the first of two saves based on the same version goes through."""

    key = models.CharField(max_length=120, unique=True)
    version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


class FormSubmission(models.Model):
    """A create form's one-time token, kept with what the first post made, so a
    second post of the same form answers the same and makes nothing new."""

    token = models.CharField(max_length=64, unique=True)
    user_id = models.BigIntegerField()
    path = models.CharField(max_length=255)
    result_label = models.CharField(max_length=100, blank=True)
    result_pk = models.CharField(max_length=64, blank=True)
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.token


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    MAPPING = "mapping", _("waiting for you to say what some columns hold")
    CHECKING = "checking", _("checking")
    CHECKED = "checked", _("checked, waiting for your confirmation")
    SAVING = "saving", _("saving")
    DONE = "done", _("imported")
    FAILED = "failed", _("failed")


class ImportJob(models.Model):
    """One roster import (core/imports.py): the upload is checked by the
    worker, the uploader reviews the check and confirms, the worker saves the
    checked rows. Only its uploader sees it (its problems name residents)."""

    registry = models.CharField(max_length=30)
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=200)
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    upload = models.CharField(max_length=300, blank=True)  # the uploaded file, until it is checked
    staged = models.CharField(max_length=300, blank=True)  # the checked rows, until they are saved
    total = models.PositiveIntegerField(default=0)  # data rows in the file (an estimate while checking)
    done = models.PositiveIntegerField(default=0)  # rows checked, then rows saved
    good = models.PositiveIntegerField(default=0)  # rows ready to save
    bad_rows = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    duplicate_count = models.PositiveIntegerField(default=0)
    saved = models.PositiveIntegerField(default=0)
    # the first problems, each [row, column, message] in the uploader's language
    errors = models.JSONField(default=list, blank=True)
    duplicates = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)  # why it failed, or what the mapping step still needs
    # the ledger's layout (core/ledger.py): its header row, its headers [[column index, header]],
    # the uploader's choices for this file {column index: key or ""}, the columns read {column index: key}
    header_row = models.PositiveIntegerField(default=0)
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    positions = models.JSONField(default=dict, blank=True)
    refused = models.CharField(max_length=300, blank=True)  # the refused rows, encrypted, until a day has passed
    valid_only = models.BooleanField(default=False)  # the uploader chose to import the valid rows only
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.registry} {self.filename}"


class ImportMapping(models.Model):
    """What a station's ledgers mean by a header no importer knows: the
    column it chose for it in the mapping step (blank: left out), offered
    on its next import of the same registry."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    registry = models.CharField(max_length=30)
    header = models.CharField(max_length=100)  # as core.ledger.clean_header writes it
    key = models.CharField(max_length=40, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "registry", "header"], name="import_mapping_once")]

    def __str__(self) -> str:
        return f"{self.registry}: {self.header} → {self.key or '-'}"
