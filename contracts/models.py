"""政府购买服务: contracts, the KPI catalogue and per-station targets.

Actuals are never stored: contracts/actuals.py computes each from the records
themselves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from contracts.storage import contract_file_upload_to


class PurchaserKind(models.TextChoices):
    CIVIL_AFFAIRS = "civil_affairs", _("civil-affairs bureau (民政局)")
    STREET_OFFICE = "street_office", _("street office (街道办事处)")


class KpiKind(models.TextChoices):
    COUNT = "count", _("count over the period (pro-rated)")
    LEVEL = "level", _("level to hold (rate or average)")


class Kpi(models.Model):
    """One KPI definition. The code names the function in contracts/actuals.py
    that counts it; names, order and units are data an administrator edits."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    unit_label = models.CharField(_("unit of measure"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=KpiKind.choices, default=KpiKind.COUNT)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Contract(models.Model):
    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("registered at")
    )
    name = models.CharField(_("name"), max_length=120)
    number = models.CharField(_("contract number"), max_length=60, blank=True)
    purchaser = models.CharField(_("purchaser"), max_length=100)
    purchaser_kind = models.CharField(_("purchaser kind"), max_length=20, choices=PurchaserKind.choices)
    agency = models.ForeignKey(
        "orgs.OperatingAgency", on_delete=models.PROTECT, related_name="contracts", verbose_name=_("operating agency")
    )
    start = models.DateField(_("starts on"))
    end = models.DateField(_("ends on"))
    budget = models.DecimalField(_("budget (RMB)"), max_digits=12, decimal_places=2)
    stations = models.ManyToManyField("orgs.OrgUnit", related_name="contracts", verbose_name=_("stations covered"))
    signed_file = models.FileField(_("signed contract"), upload_to=contract_file_upload_to, max_length=200, blank=True)
    signed_file_name = models.CharField(max_length=200, blank=True)
    signed_file_type = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service contract (政府购买服务合同)")
        verbose_name_plural = _("service contracts")
        ordering = ["-start", "name"]
        constraints = [models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="contract_period")]

    def __str__(self) -> str:
        return self.name


class KpiTarget(models.Model):
    """A station's target for one KPI over the whole contract period."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("station"))
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="+", verbose_name=_("KPI"))
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["unit__path", "kpi__order"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "unit", "kpi"], name="kpi_target_once"),
            models.CheckConstraint(condition=models.Q(target__gte=0), name="kpi_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.target}"


class PaymentTranche(models.Model):
    """A payment the purchaser owes under the contract: when, how much, on
    what condition, and when it was paid."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="tranches")
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount (RMB)"), max_digits=12, decimal_places=2)
    condition = models.CharField(_("condition"), max_length=200)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment tranche")
        verbose_name_plural = _("payment tranches")
        ordering = ["due_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="tranche_amount_positive")]

    def __str__(self) -> str:
        return f"{self.due_on} {self.amount}"


class EvaluationKind(models.TextChoices):
    MID_TERM = "mid", _("mid-term evaluation")
    FINAL = "final", _("final evaluation")


class ContractEvaluation(models.Model):
    """A mid-term or final evaluation of the contract (中期评估 / 末期评估)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField(_("kind"), max_length=10, choices=EvaluationKind.choices)
    date = models.DateField(_("date"))
    evaluator = models.CharField(_("evaluator"), max_length=100)
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1, null=True, blank=True)
    conclusion = models.TextField(_("conclusion"))
    file = models.FileField(_("report file"), upload_to=contract_file_upload_to, max_length=200, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("contract evaluation")
        verbose_name_plural = _("contract evaluations")
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "kind"], name="contract_evaluation_once_per_kind"),
            models.CheckConstraint(condition=models.Q(score__gte=0), name="contract_evaluation_score"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class ServiceDayRollup(models.Model):
    """Volunteer service records summed per unit and day: what district
    dashboards and roll-ups read instead of scanning a million records. It is a
    cache of the records, rebuilt by contracts.rollup.refresh (a huey periodic
    task and after bulk imports) and only used while it is current."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    records = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=12, decimal_places=1, default=0)
    # Of those, the hours of volunteers flagged Party members (党建引领's figure).
    party_hours = models.DecimalField(max_digits=12, decimal_places=1, default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="service_rollup_unit_day")]
        indexes = [models.Index(fields=["day", "unit"], name="service_rollup_day_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}: {self.records}"


class VisitDayRollup(models.Model):
    """Visits (grading.Visit) counted per unit and day, the dashboards' and
    reports' second large source; a cache of the records like
    ServiceDayRollup (contracts.rollup)."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    visits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="visit_rollup_unit_day")]
        indexes = [models.Index(fields=["day", "unit"], name="visit_rollup_day_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}: {self.visits}"


class RollupState(models.Model):
    """What a rollup was built from: the source's row count and highest id.
    If either has changed since, the rollup is stale and readers fall back to
    the records themselves."""

    source = models.CharField(max_length=40, unique=True)
    refreshed_at = models.DateTimeField()
    row_count = models.PositiveBigIntegerField()
    max_id = models.PositiveBigIntegerField()

    def __str__(self) -> str:
        return f"{self.source} @ {self.refreshed_at:%Y-%m-%d %H:%M}"
