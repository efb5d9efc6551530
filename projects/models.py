"""项目: a service project of a station or the district, its budget lines,
the expenditures against them and (through the ledger entries that name it)
the resources raised for it. Figures are never stored: projects/figures.py
counts them from the records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from projects.storage import receipt_upload_to


class Project(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=120)
    domain = models.ForeignKey(
        "core.ServiceDomain",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service domain"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_brand = models.BooleanField(_("brand project (一站一品)"), default=False)
    description = models.TextField(_("description for publicity"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    # Targets over the whole project period (none: not set).
    target_person_times = models.PositiveIntegerField(_("target person-times"), null=True, blank=True)
    target_activities = models.PositiveIntegerField(_("target activities"), null=True, blank=True)
    target_households = models.PositiveIntegerField(_("target households reached"), null=True, blank=True)
    target_raised = models.DecimalField(
        _("target money raised (RMB)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    partner_enterprises = models.ManyToManyField(
        "partners.Enterprise", blank=True, related_name="+", verbose_name=_("partner enterprises")
    )
    partner_organisations = models.ManyToManyField(
        "partners.CommunityOrganisation", blank=True, related_name="+", verbose_name=_("partner organisations")
    )
    partner_agreements = models.ManyToManyField(
        "partybuilding.Agreement", blank=True, related_name="+", verbose_name=_("co-building units")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service project (项目)")
        verbose_name_plural = _("service projects")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="project_period"),
            # 一站一品: at most one brand project per unit.
            models.UniqueConstraint(fields=["unit"], condition=Q(is_brand=True), name="project_one_brand_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """One line of a project's budget (venue, materials, prizes …)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    name = models.CharField(_("budget line"), max_length=80)
    amount = models.DecimalField(_("amount (RMB)"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="project_budget_line_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="project_budget_line_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class ExpenditureStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class Expenditure(models.Model):
    """Money spent against a budget line, with its receipt; counted as spent
    once the station lead has approved it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="expenditures")
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="expenditures")
    spent_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (RMB)"), max_digits=12, decimal_places=2)
    payee = models.CharField(_("paid to"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=200)
    receipt = models.FileField(_("receipt"), upload_to=receipt_upload_to, max_length=200, blank=True)
    receipt_name = models.CharField(max_length=200, blank=True)
    receipt_type = models.CharField(max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ExpenditureStatus.choices, default=ExpenditureStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("comment"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        ordering = ["-spent_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="project_expenditure_positive")]
        indexes = [models.Index(fields=["status", "project"], name="project_expenditure_status")]

    def __str__(self) -> str:
        return f"{self.spent_on} {self.purpose}"
