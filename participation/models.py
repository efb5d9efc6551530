"""What volunteers and donors do themselves through the portal: register,
sign up, report hours, ask for corrections, claim and deliver micro-wishes.
Each lands as a pending item that station staff accept into the registries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from people.models import Sex


class Decision(models.TextChoices):
    PENDING = "pending", _("awaiting confirmation")
    ACCEPTED = "accepted", pgettext_lazy("a request", "accepted")
    DECLINED = "declined", pgettext_lazy("a request", "declined")


class Decided(models.Model):
    """A pending item of a station's queue and what staff decided about it."""

    # The lowest unit the item belongs to (a community or the station): the
    # staff queues are scoped by it through core/access.py.
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    account = models.ForeignKey("portal.PortalAccount", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class VolunteerApplication(Decided):
    """A registration sent through the portal with the 2021 volunteer rules'
    minimum; staff accept it into the registry (or merge it with the volunteer
    it turns out to be)."""

    name = models.CharField(_("name"), max_length=50)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"))
    # Encrypted and hashed exactly as volunteers stores it (core.identity.store_id).
    id_cipher = models.TextField(blank=True, editable=False)
    id_hash = models.CharField(max_length=64, null=True, blank=True, db_index=True, editable=False)
    id_tail = models.CharField(max_length=4, blank=True, editable=False)
    phone = models.CharField(_("phone"), max_length=20)
    skills = models.ManyToManyField("volunteers.Skill", blank=True, related_name="+", verbose_name=_("skills"))
    availability = models.JSONField(_("weekly availability"), default=dict, blank=True)
    guardian_name = models.CharField(_("guardian's name"), max_length=50, blank=True)
    guardian_phone = models.CharField(_("guardian's phone"), max_length=20, blank=True)
    guardian_consent = models.BooleanField(_("the guardian agrees"), default=False)
    consent_version = models.CharField(max_length=20)
    consent_at = models.DateTimeField(_("consent given at"))
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    merged = models.BooleanField(_("merged with an existing volunteer"), default=False)

    class Meta(Decided.Meta):
        verbose_name = _("volunteer application")
        verbose_name_plural = _("volunteer applications")
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=Q(status="pending"), name="participation_one_pending_application"
            )
        ]

    def __str__(self) -> str:
        return self.name


class RequestKind(models.TextChoices):
    PROFILE = "profile", _("correct my details")
    RECORD = "record", _("correct a service record")
    CERTIFICATE = "certificate", _("a volunteer service certificate")
    TASK = "task", _("to take on a service task")


class VolunteerRequest(Decided):
    """A registered volunteer asks staff: correct their details (the new
    values kept in `changes`), correct a service record, issue a certificate,
    or make them the volunteer of an open service task."""

    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=RequestKind.choices)
    record = models.ForeignKey(
        "volunteering.ServiceRecord", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    task = models.ForeignKey("matching.ServiceTask", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    changes = models.JSONField(default=dict, blank=True)
    note = models.CharField(_("what should change"), max_length=300, blank=True)

    class Meta(Decided.Meta):
        verbose_name = _("volunteer's request")
        verbose_name_plural = _("volunteers' requests")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.volunteer}"


class HoursReport(Decided):
    """Hours a volunteer reports for an activity or a service task: a pending
    service record until staff confirm it (volunteering.service_record_confirm)."""

    volunteer = models.ForeignKey("volunteers.Volunteer", on_delete=models.CASCADE, related_name="+")
    # The pending record; gone when staff decline the hours (the report keeps what was said).
    record = models.OneToOneField(
        "volunteering.ServiceRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activity_name = models.CharField(_("activity"), max_length=100)
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours served"), max_digits=6, decimal_places=1)

    class Meta(Decided.Meta):
        verbose_name = _("reported service hours")
        verbose_name_plural = _("reported service hours")

    def __str__(self) -> str:
        return f"{self.activity_name} {self.date}"


class WishClaim(Decided):
    """A micro-wish a portal donor claimed online (the wish itself moved to
    "claimed" at once); `status` is about the delivery the donor reports with
    a photo, which staff confirm into the wish's fulfilment."""

    wish = models.OneToOneField("matching.Wish", on_delete=models.PROTECT, related_name="+")
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    photo = models.FileField(_("photo"), upload_to="participation/deliveries/%Y/%m/", blank=True)

    class Meta(Decided.Meta):
        verbose_name = _("micro-wish claimed online")
        verbose_name_plural = _("micro-wishes claimed online")

    def __str__(self) -> str:
        return str(self.wish)


class EnterpriseClaim(Decided):
    """A donor says which caring enterprise they act for; staff confirm who it
    is (an existing registry entry) and the account's claims attach to it."""

    name = models.CharField(_("enterprise name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    enterprise = models.ForeignKey(
        "partners.Enterprise", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(Decided.Meta):
        verbose_name = _("enterprise a donor represents")
        verbose_name_plural = _("enterprises donors represent")

    def __str__(self) -> str:
        return self.name
