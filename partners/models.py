from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Enterprise(models.Model):
    """爱心企业: a caring enterprise that offers goods, services or money."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("caring enterprise (爱心企业)")
        verbose_name_plural = _("caring enterprises")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    PLANNING = "planning", _("preparing (筹备)")
    INCUBATING = "incubating", _("being incubated (孵化中)")
    GROWING = "growing", _("growing (成长)")
    MATURE = "mature", _("mature (成熟)")


class Filing(models.TextChoices):
    NONE = "none", _("not yet filed")
    FILED = "filed", _("filed with the street (备案)")
    REGISTERED = "registered", _("registered with civil affairs (登记)")


class CommunityOrganisation(models.Model):
    """社区社会组织: a community social organisation, often incubated by the station."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=100)
    domain = models.ForeignKey(
        "core.ServiceDomain",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("domain"),
    )
    leader = models.CharField(_("leader"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    members = models.PositiveIntegerField(_("members"), default=0)
    party_members = models.PositiveIntegerField(_("of whom Party members"), default=0)
    stage = models.CharField(_("incubation stage"), max_length=12, choices=Stage.choices, default=Stage.INCUBATING)
    filing = models.CharField(_("filing / registration"), max_length=12, choices=Filing.choices, default=Filing.NONE)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    description = models.TextField(_("what it does"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("community social organisation (社区社会组织)")
        verbose_name_plural = _("community social organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OfferKind(models.TextChoices):
    GOODS = "goods", _("goods")
    SERVICES = "services", _("services")
    MONEY = "money", _("money")


class EnterpriseOffer(models.Model):
    """What a caring enterprise offers: goods, services or money."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="offers")
    kind = models.CharField(_("kind"), max_length=10, choices=OfferKind.choices)
    category = models.CharField(
        _("category"), max_length=40, help_text=_("e.g. rice and oil, haircuts, medical checks")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=1)
    quantity_unit = models.CharField(_("unit of quantity"), max_length=10, blank=True)
    value = models.DecimalField(_("value (RMB)"), max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise offer")
        verbose_name_plural = _("enterprise offers")
        ordering = ["kind", "category"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.category}"


class Direction(models.TextChoices):
    IN = "in", _("received")
    OUT = "out", _("given out")


class ResourceKind(models.TextChoices):
    MONEY = "money", _("money")
    IN_KIND = "in_kind", _("in kind")


class ResourceEntry(models.Model):
    """公益慈善资源台账: a donation received or given out, valued in RMB."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    direction = models.CharField(_("in / out"), max_length=3, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=ResourceKind.choices)
    date = models.DateField(_("date"))
    donor = models.CharField(_("donor"), max_length=100, blank=True)
    enterprise = models.ForeignKey(
        Enterprise, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("enterprise")
    )
    recipient = models.CharField(_("recipient"), max_length=100, blank=True)
    purpose = models.CharField(_("purpose"), max_length=200)
    description = models.CharField(_("items"), max_length=200, blank=True)
    value = models.DecimalField(_("value (RMB)"), max_digits=12, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service project"),
    )

    class Meta:
        verbose_name = _("charitable resource entry (公益慈善资源)")
        verbose_name_plural = _("charitable resources ledger")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.purpose}"


# ---------------------------------------------------------------- incubation (社团孵化)


class SupportKind(models.TextChoices):
    TRAINING = "training", pgettext_lazy("incubation support", "training")
    MENTORING = "mentoring", pgettext_lazy("incubation support", "mentoring")
    FUNDING = "funding", pgettext_lazy("incubation support", "funding")
    VENUE = "venue", pgettext_lazy("incubation support", "venue")
    ASSESSMENT = "assessment", pgettext_lazy("incubation support", "assessment")


class IncubationEntry(models.Model):
    """One line of an organisation's incubation log: support given (training,
    mentoring, funding, a venue) or an assessment, with its date."""

    organisation = models.ForeignKey(
        CommunityOrganisation, on_delete=models.CASCADE, related_name="incubation", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=SupportKind.choices)
    date = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    amount = models.DecimalField(_("amount (RMB)"), max_digits=12, decimal_places=2, null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("assessment score (0–100)"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("incubation log entry")
        verbose_name_plural = _("incubation log")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class StageChange(models.Model):
    """An organisation moved from one incubation stage to another on a date."""

    organisation = models.ForeignKey(
        CommunityOrganisation, on_delete=models.CASCADE, related_name="stage_changes", verbose_name=_("organisation")
    )
    from_stage = models.CharField(pgettext_lazy("stage", "from"), max_length=12, choices=Stage.choices)
    to_stage = models.CharField(pgettext_lazy("stage", "to"), max_length=12, choices=Stage.choices)
    date = models.DateField(_("date"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_from_stage_display()} → {self.get_to_stage_display()}"


class OrganisationMember(models.Model):
    """A member of a community organisation (its roster)."""

    organisation = models.ForeignKey(
        CommunityOrganisation, on_delete=models.CASCADE, related_name="member_rows", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    role = models.CharField(_("role in the group"), max_length=30, blank=True)
    is_party_member = models.BooleanField(_("Party member"), default=False)
    joined_on = models.DateField(pgettext_lazy("organisation member", "joined on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name", "phone"], name="partners_member_once"),
        ]

    def __str__(self) -> str:
        return self.name
