from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InstrumentDraft(models.Model):
    """The editor's unpublished work on an instrument, kept as typed (even
    half-filled or wrong) until it is published as a new version or
    discarded. Assessments never read it."""

    instrument = models.OneToOneField(
        "grading.Instrument", on_delete=models.CASCADE, related_name="+", verbose_name=_("assessment instrument")
    )
    content = models.JSONField(_("draft content"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("instrument draft")
        verbose_name_plural = _("instrument drafts")

    def __str__(self) -> str:
        return f"{self.instrument_id} draft"
