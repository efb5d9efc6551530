"""Scheduled reports: who receives which unit's report, for which period,
on which day (reports/schedules.py sends them). Imported by reports.models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reports.models import PeriodKind, ReportFormat, ReportJob


class ReportSchedule(models.Model):
    """E.g. station A's monthly report, on the 3rd of the next month, to its
    street office contact and the district centre; or the district's
    quarterly roll-up to the 民政局 contact."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=100)
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    fmt = models.CharField(_("format"), max_length=5, choices=ReportFormat.choices, default=ReportFormat.PDF)
    send_day = models.PositiveSmallIntegerField(_("day of the month after the period"), default=3)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("scheduled report")
        verbose_name_plural = _("scheduled reports")

    def __str__(self) -> str:
        return self.name


class ReportRecipient(models.Model):
    """A staff account (by its e-mail, with a link to the report) or an
    e-mail address outside Linli (the file only)."""

    schedule = models.ForeignKey(ReportSchedule, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    label = models.CharField(_("who"), max_length=60, blank=True)  # e.g. 街道办联系人

    class Meta:
        verbose_name = _("report recipient")
        verbose_name_plural = _("report recipients")

    def __str__(self) -> str:
        return self.label or self.email or str(self.user_id)


class ReportRun(models.Model):
    """One schedule's report for one period: made once."""

    schedule = models.ForeignKey(ReportSchedule, on_delete=models.CASCADE, related_name="runs")
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    job = models.ForeignKey(ReportJob, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["schedule", "period_start"], name="reports_one_run_per_period")]

    def __str__(self) -> str:
        return f"{self.schedule_id}:{self.period_start}"


class ReportSend(models.Model):
    """What was sent to whom and when (the delivery says how it went)."""

    run = models.ForeignKey(ReportRun, on_delete=models.CASCADE, related_name="sends")
    recipient = models.ForeignKey(ReportRecipient, null=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    who = models.CharField(_("sent to"), max_length=120)  # masked
    delivery = models.ForeignKey("messaging.Delivery", null=True, on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "recipient"], name="reports_one_send_per_recipient")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.who}"
