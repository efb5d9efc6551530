from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PortalAccount(models.Model):
    """Someone who uses the public portal, known by a verified phone number.
    Not a staff User: no role, no unit scope. Staff link it to the registry
    entry it stands for once they have confirmed who it is."""

    phone = models.CharField(_("phone"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=50, blank=True)
    # The station whose header, phone and queues this account uses.
    station = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    volunteer = models.OneToOneField(
        "volunteers.Volunteer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="portal_account",
        verbose_name=_("volunteer"),
    )
    enterprise = models.ForeignKey(
        "partners.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="portal_accounts",
        verbose_name=_("caring enterprise"),
    )
    large_text = models.BooleanField(_("large text"), default=False)
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted at"), null=True, blank=True)
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_login_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("portal account (门户用户)")
        verbose_name_plural = _("portal accounts")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name or self.phone[-4:]
