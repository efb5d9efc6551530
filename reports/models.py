"""Station reports: the narrative sections a station writes for a period, and
report jobs generated in the background (xlsx or PDF)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("monthly")
    QUARTER = "quarter", _("quarterly")
    YEAR = "year", _("annual")


class ReportNarrative(models.Model):
    """What the station writes for a period's report (工作亮点、问题、下步计划)."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("period starts"))
    highlights = models.TextField(_("highlights"), blank=True)
    problems = models.TextField(_("problems and difficulties"), blank=True)
    next_steps = models.TextField(_("plans for the next period"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report narrative")
        verbose_name_plural = _("report narratives")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period_kind", "period_start"], name="narrative_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period_kind} {self.period_start}"


class ReportFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel (xlsx)")
    PDF = "pdf", _("printable PDF")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ReportJob(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    fmt = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=100, blank=True)
    file = models.CharField(max_length=300, blank=True, editable=False)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start:%Y-%m-%d} {self.fmt}"

    @property
    def downloadable(self) -> bool:
        """A built job is downloaded; a queued, running or failed one is not."""
        return self.status == JobStatus.DONE and bool(self.file)

    @property
    def filename(self) -> str:
        return f"report-{self.unit.code}-{self.period_kind}-{self.period_start:%Y%m%d}.{self.fmt}"


from reports.schedule_models import ReportRecipient, ReportRun, ReportSchedule, ReportSend  # noqa: E402, F401 (scheduled reports)
