"""活动: community activities, sign-ups, attendance and photos."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.storage import photo_upload_to


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    DONE = "done", _("held")
    CANCELLED = "cancelled", _("cancelled")


def new_signin_key() -> str:
    """The part of an activity's sign-in link that renewing the QR code changes."""
    return secrets.token_urlsafe(6)


class Activity(models.Model):
    unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    title = models.CharField(_("title"), max_length=120)
    domain = models.ForeignKey(
        "core.ServiceDomain", on_delete=models.PROTECT, related_name="+", verbose_name=_("service domain")
    )
    plan = models.TextField(_("plan"), blank=True)
    venue = models.CharField(_("venue"), max_length=120)
    room = models.ForeignKey(
        "venues.Room", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("room")
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    organiser = models.CharField(_("organiser"), max_length=100)
    person_in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("person in charge")
    )
    partner_organisations = models.ManyToManyField(
        "partners.CommunityOrganisation", blank=True, related_name="+", verbose_name=_("partner organisations")
    )
    partner_enterprises = models.ManyToManyField(
        "partners.Enterprise", blank=True, related_name="+", verbose_name=_("partner enterprises")
    )
    resources = models.TextField(_("resources used"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ActivityStatus.choices, default="planned")
    head_count = models.PositiveIntegerField(_("unnamed attendees (head count)"), default=0)
    summary = models.TextField(_("summary"), blank=True)
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("service project"),
    )
    party_led = models.BooleanField(_("Party-led (党建引领)"), default=False)
    # Sign-in by QR code (casework/signin.py): staff may switch it off, or
    # renew the key so that a QR code printed earlier stops working.
    signin_open = models.BooleanField(_("sign-in by QR code"), default=True)
    signin_key = models.CharField(max_length=12, default=new_signin_key, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("community activity (活动)")
        verbose_name_plural = _("community activities")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def available_actions(self, now: dt.datetime | None = None) -> list[str]:
        """What may be done to the activity now, in the order pages offer it
        (the services refuse the rest): a cancelled one takes nothing more,
        attendance is recorded once it has started, only a planned one is
        cancelled."""
        if self.status == ActivityStatus.CANCELLED:
            return []
        actions = ["signup", "photo"]
        if self.starts_at <= (now or timezone.now()):
            actions.append("record")
        actions.append("edit")
        if self.status == ActivityStatus.PLANNED:
            actions.append("cancel")
        return actions


class ActivitySignup(models.Model):
    """A resident or a volunteer signed up for (and maybe attending) an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="activity_signups"
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer", null=True, blank=True, on_delete=models.PROTECT, related_name="activity_signups"
    )
    attended = models.BooleanField(_("attended"), default=False)
    service_record = models.ForeignKey(
        "volunteering.ServiceRecord", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("activity sign-up")
        verbose_name_plural = _("activity sign-ups")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, volunteer__isnull=True)
                | Q(person__isnull=True, volunteer__isnull=False),
                name="casework_signup_one_kind",
            ),
            models.UniqueConstraint(fields=["activity", "person"], name="casework_signup_person_once"),
            models.UniqueConstraint(fields=["activity", "volunteer"], name="casework_signup_volunteer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.person_id or self.volunteer_id}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_upload_to, max_length=200)  # the configured storage (core/files.py)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or str(self.pk)


class SignInKind(models.TextChoices):
    RESIDENT = "resident", _("resident")
    VOLUNTEER = "volunteer", _("volunteer")
    GUEST = "guest", _("unnamed attendee")


class ActivitySignIn(models.Model):
    """One phone number signed in at an activity through its QR code. Only
    what the organiser needs is kept: a keyed digest of the number (so that it
    signs in once), the sign-up it ticked, or for a number the station does
    not know the name typed (counted in the head count, no resident record)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signins")
    kind = models.CharField(_("signed in as"), max_length=10, choices=SignInKind.choices)
    signup = models.ForeignKey(ActivitySignup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(_("name given"), max_length=50, blank=True)
    phone_digest = models.CharField(max_length=64, editable=False)
    signed_in_at = models.DateTimeField(_("signed in at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sign-in by QR code")
        verbose_name_plural = _("sign-ins by QR code")
        ordering = ["signed_in_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "phone_digest"], name="casework_signin_phone_once"),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.kind}"
