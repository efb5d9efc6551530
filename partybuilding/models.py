"""Party-building (党建引领): Party organisations at the district, street and
community levels, co-building agreements (党建共建) with outside units and
their dated commitments and deliveries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganisationKind(models.TextChoices):
    COMMITTEE = "committee", _("Party committee (党委)")
    GENERAL_BRANCH = "general_branch", _("general Party branch (党总支)")
    BRANCH = "branch", _("Party branch (党支部)")


class PartyOrganisation(models.Model):
    """A Party organisation tied to a unit of the tree: the district's, a
    street's (its working committee or branch) or a community's. Its level is
    the unit's level."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices, default="branch")
    secretary = models.CharField(_("secretary"), max_length=50, blank=True)
    members = models.PositiveIntegerField(_("Party members"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Party organisation")
        verbose_name_plural = _("Party organisations")
        ordering = ["unit__path", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="party_org_unique_name")]

    def __str__(self) -> str:
        return self.name


class PartnerKind(models.TextChoices):
    BANK = "bank", _("bank")
    HOSPITAL = "hospital", _("hospital")
    SCHOOL = "school", _("school")
    ENTERPRISE = "enterprise", _("enterprise")
    AGENCY = "agency", _("government agency or public institution")
    OTHER = "other", pgettext_lazy("partner kind", "other")


class Agreement(models.Model):
    """A co-building agreement (党建共建协议) between a Party organisation of
    the tree and an outside unit (a bank, a hospital …), with its period."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    organisation = models.ForeignKey(
        PartyOrganisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("Party organisation"),
    )
    partner = models.CharField(_("co-building unit"), max_length=100)
    partner_kind = models.CharField(_("kind of unit"), max_length=20, choices=PartnerKind.choices)
    enterprise = models.ForeignKey(
        "partners.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("caring enterprise"),
    )
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("period from"))
    ends_on = models.DateField(_("period to"))
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("co-building agreement (党建共建)")
        verbose_name_plural = _("co-building agreements")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return self.partner


class Commitment(models.Model):
    """What one side promised under an agreement, by when, and what was delivered."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("agreement")
    )
    content = models.CharField(_("commitment"), max_length=200)
    due_on = models.DateField(pgettext_lazy("commitment", "due on"))
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    evidence = models.TextField(_("what was delivered (evidence)"), blank=True)

    class Meta:
        verbose_name = _("co-building commitment")
        verbose_name_plural = _("co-building commitments")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.content
