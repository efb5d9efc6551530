from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    members = models.PositiveIntegerField(_("members"), default=0)
    party_members = models.PositiveIntegerField(_("of whom Party members"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("community social organisation (社区社会组织)")
        verbose_name_plural = _("community social organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
