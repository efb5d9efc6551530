from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.roles import Level


class OperatingAgency(models.Model):
    """运营机构: the third-party agency that runs a station under contract."""

    unit = models.ForeignKey(
        "orgs.OrgUnit",
        on_delete=models.PROTECT,
        related_name="agencies",
        verbose_name=_("registered at"),
    )
    name = models.CharField(_("name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("operating agency (运营机构)")
        verbose_name_plural = _("operating agencies")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="agency_unique_name")]

    def __str__(self) -> str:
        return self.name


class OrgUnit(models.Model):
    """A node of the district → street station → community room tree.

    `path` is materialised from the 12-digit division code (e.g.
    ``350502/001/003/``) with a trailing slash, so a prefix match is exact.
    """

    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    name = models.CharField(_("name"), max_length=60)
    code = models.CharField(_("statistical division code"), max_length=12, unique=True)
    path = models.CharField(max_length=40, unique=True, editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # The number residents call: shown on every page of the public portal.
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    agency = models.ForeignKey(
        OperatingAgency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stations",
        verbose_name=_("operating agency"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def path_for_code(code: str, level: str) -> str:
        if level == Level.DISTRICT:
            return f"{code[:6]}/"
        if level == Level.STATION:
            return f"{code[:6]}/{code[6:9]}/"
        return f"{code[:6]}/{code[6:9]}/{code[9:12]}/"

    @staticmethod
    def level_has_agency(level: str) -> bool:
        """Only a street station is run by an operating agency."""
        return level == Level.STATION

    @property
    def has_agency(self) -> bool:
        return self.level_has_agency(self.level)

    @property
    def depth(self) -> int:
        return self.path.count("/")

    @property
    def station(self) -> OrgUnit:
        """The street station this unit belongs to: a community room's parent,
        a station itself; the district (above every station) is its own."""
        if self.level == Level.COMMUNITY and self.parent_id is not None:
            return self.parent  # type: ignore[return-value]
        return self

    @property
    def district_path(self) -> str:
        """The path of the district this unit lies in (its own, for a district)."""
        return self.path.split("/", 1)[0] + "/"

    def contains(self, other: OrgUnit | None) -> bool:
        """Whether `other` is this unit or lies below it (the scoping rule)."""
        return other is not None and other.path.startswith(self.path)

    def subtree(self) -> models.QuerySet[OrgUnit]:
        """This unit and every unit below it."""
        return OrgUnit.objects.filter(path__startswith=self.path)

    def ancestors(self) -> list[OrgUnit]:
        """Root first, self excluded; at most two queries-worth of rows."""
        prefixes = []
        parts = self.path.strip("/").split("/")
        for i in range(1, len(parts)):
            prefixes.append("/".join(parts[:i]) + "/")
        by_path = {u.path: u for u in OrgUnit.objects.filter(path__in=prefixes)}
        return [by_path[p] for p in prefixes if p in by_path]


class CommunityTrait(models.Model):
    """A characteristic a community profile may carry (低保家庭多, 正在拆迁 …):
    a list the district edits; a trait no longer used is retired, never
    deleted, so the profiles that carry it keep their history."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    retired = models.BooleanField(_("retired"), default=False)

    class Meta:
        verbose_name = _("community characteristic")
        verbose_name_plural = _("community characteristics")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class CommunityProfile(models.Model):
    """社区概况: the figures of a community (with the year they are from), its
    characteristics, key contacts and notes. One per unit, made on first edit."""

    unit = models.OneToOneField(OrgUnit, on_delete=models.PROTECT, related_name="profile", verbose_name=_("unit"))
    figures_year = models.PositiveSmallIntegerField(_("year of the figures"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=8, decimal_places=2, null=True, blank=True)
    traits = models.ManyToManyField(
        CommunityTrait, blank=True, related_name="profiles", verbose_name=_("characteristics")
    )
    secretary = models.CharField(_("community secretary"), max_length=50, blank=True)
    secretary_phone = models.CharField(_("secretary's phone"), max_length=20, blank=True)
    contacts = models.TextField(_("other key contacts"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("community profile")
        verbose_name_plural = _("community profiles")

    def __str__(self) -> str:
        return str(self.unit)
