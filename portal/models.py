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


class IntakeStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    CLOSED = "closed", _("replied and closed")


class HelpRequest(models.Model):
    """求助: what a resident asked for through the portal. Pending in the
    station's queue until a staff member accepts it as a matching Need
    (the real record) or declines it with a reason."""

    tracking = models.CharField(_("tracking number"), max_length=20, unique=True)
    account = models.ForeignKey(PortalAccount, on_delete=models.PROTECT, related_name="help_requests")
    # The community the help is needed in: its station's staff see it.
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    need_type = models.ForeignKey(
        "matching.NeedType", on_delete=models.PROTECT, related_name="+", verbose_name=_("kind of help")
    )
    description = models.CharField(_("what is needed"), max_length=300)
    person_name = models.CharField(_("who needs it"), max_length=50)
    birth_year = models.PositiveSmallIntegerField(_("year of birth of who needs it"), null=True, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    guardian_name = models.CharField(_("guardian's name"), max_length=50, blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=20, blank=True)
    guardian_relation = models.CharField(_("guardian's relation"), max_length=20, blank=True)
    photo = models.CharField(_("photo"), max_length=200, blank=True)  # a storage name (core.uploads)
    status = models.CharField(_("status"), max_length=20, choices=IntakeStatus.choices, default=IntakeStatus.RECEIVED)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    need = models.OneToOneField(
        "matching.Need", null=True, blank=True, on_delete=models.PROTECT, related_name="portal_request"
    )
    decided_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("help request (求助)")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.tracking


class FeedbackKind(models.TextChoices):
    FEEDBACK = "feedback", _("feedback (意见反馈)")
    COMPLAINT = "complaint", _("complaint (投诉)")


class Feedback(models.Model):
    """意见反馈 / 投诉 about a service, sent through the portal; staff reply
    and close it, and the resident reads the reply on its tracking page."""

    tracking = models.CharField(_("tracking number"), max_length=20, unique=True)
    account = models.ForeignKey(PortalAccount, on_delete=models.PROTECT, related_name="feedback")
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("community"))
    kind = models.CharField(_("kind"), max_length=20, choices=FeedbackKind.choices)
    about = models.CharField(_("which service or activity"), max_length=200, blank=True)
    text = models.TextField(_("what you want to tell the station"), max_length=2000)
    status = models.CharField(_("status"), max_length=20, choices=IntakeStatus.choices, default=IntakeStatus.RECEIVED)
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    replied_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback (意见反馈)")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.tracking


class SurveyLink(models.Model):
    """A needs survey published by link and QR code: anyone with the link
    may answer it (no account) until it is closed or expires."""

    survey = models.OneToOneField("workrecords.NeedsSurvey", on_delete=models.CASCADE, related_name="portal_link")
    token = models.CharField(max_length=43, unique=True)
    active = models.BooleanField(default=True)
    expires_on = models.DateField(_("open until"), null=True, blank=True)
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"link of survey {self.survey_id}"
