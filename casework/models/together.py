"""五社联动 together on a case: the case conference (个案研讨) and referrals
received from partners (接收转介)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseConference(models.Model):
    """个案研讨: a meeting on the case with staff, partners, family and the
    resident; its decisions are the goals and planned services that name it."""

    case = models.ForeignKey("casework.Case", on_delete=models.CASCADE, related_name="conferences")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    date = models.DateField(_("date"), db_index=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("staff"))
    organisations = models.ManyToManyField(
        "partners.CommunityOrganisation", blank=True, related_name="+", verbose_name=_("partner organisations")
    )
    enterprises = models.ManyToManyField(
        "partners.Enterprise", blank=True, related_name="+", verbose_name=_("partner enterprises")
    )
    family_members = models.ManyToManyField(
        "people.Person", blank=True, related_name="+", verbose_name=_("family members")
    )
    others = models.CharField(_("other participants"), max_length=300, blank=True)
    resident_attended = models.BooleanField(_("the resident attended"), default=False)
    discussion = models.TextField(_("discussion"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case conference (个案研讨)")
        verbose_name_plural = _("case conferences")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.case.number} · {self.date:%Y-%m-%d}"  # lists select the case with it

    def participants(self) -> list[str]:
        """Everyone who took part, by name (from the prefetched relations)."""
        names = [str(u) for u in self.staff.all()]
        names += [o.name for o in self.organisations.all()] + [e.name for e in self.enterprises.all()]
        names += [p.name for p in self.family_members.all()]
        return names + ([self.others] if self.others else [])


class InboundOpened(models.TextChoices):
    CASE = "case", _("a case")
    NEED = "need", _("a need")


class InboundReferral(models.Model):
    """A referral a partner sends to the station: who, about whom, what; it
    opens a case (casework's intake) or a need (matching)."""

    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    from_organisation = models.ForeignKey(
        "partners.CommunityOrganisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from organisation"),
    )
    from_enterprise = models.ForeignKey(
        "partners.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from enterprise"),
    )
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("resident"))
    received_on = models.DateField(_("received on"))
    reason = models.TextField(_("reason for referral"))
    opened = models.CharField(_("opened"), max_length=6, choices=InboundOpened.choices)
    case = models.ForeignKey(
        "casework.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="inbound_referrals"
    )
    need = models.ForeignKey("matching.Need", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral received")
        verbose_name_plural = _("referrals received")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id}:{self.received_on}"

    @property
    def partner(self) -> object:
        return self.from_organisation or self.from_enterprise
