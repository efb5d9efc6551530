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
    # The community the person said they live in (its station is `station`).
    community = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    # PIPL: someone under 14 registers only with a guardian, named here.
    under_14 = models.BooleanField(_("under 14"), default=False)
    guardian_name = models.CharField(_("guardian's name"), max_length=50, blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=20, blank=True)
    guardian_relation = models.CharField(_("guardian's relation"), max_length=20, blank=True)
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


class SignInCode(models.Model):
    """A one-time SMS code asked for a phone number. Only an HMAC of the
    number and of the code is kept: the table names nobody, and a copy of
    it does not sign anyone in."""

    phone_hash = models.CharField(max_length=64, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    wrong_tries = models.PositiveSmallIntegerField(default=0)
    # Set once the code signed someone in or was voided by wrong tries: never again.
    spent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"code {self.pk}"


class Hit(models.Model):
    """One counted event of a rate limit or a lock-out (portal/limits.py):
    a code asked for a phone or from an address, a wrong code for a phone,
    a submission or a survey answer from an address. Keys are HMACs."""

    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
