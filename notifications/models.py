"""A person's notifications and their settings (docs/notifications.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.events import Event


class Notification(models.Model):
    """One thing one person is told, once: `dedupe` names the event, the
    record and the period, unique per person, so telling again is a no-op.
    `subject` is masked (a masked name, a case number); the details are
    behind the link, where the reader's scope applies again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(_("event"), max_length=30, choices=Event.choices)
    subject = models.CharField(_("about"), max_length=120, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("unit")
    )
    dedupe = models.CharField(max_length=160)
    created_at = models.DateTimeField(_("when"), db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # When it may leave the system (e-mail, SMS, push): quiet hours move it
    # later; None = not sent outside (turned off, or left to the daily digest).
    send_after = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "dedupe"], name="notification_once")]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["sent_at", "send_after"], name="notification_outbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.event}:{self.subject}"

    @property
    def title(self) -> str:
        label = str(self.get_event_display())
        return f"{label}: {self.subject}" if self.subject else label


class Preference(models.Model):
    """Which events, which channels, a daily digest time and quiet hours."""

    events_off = models.JSONField(_("events turned off"), default=list, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    digest_at = models.TimeField(_("daily digest at"), null=True, blank=True)
    quiet_from = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet hours until"), null=True, blank=True)

    class Meta:
        abstract = True


class UserPreference(Preference):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user_id)


class DistrictPreference(Preference):
    """What a person who has not chosen gets: one row per district."""

    district = models.OneToOneField("orgs.OrgUnit", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("district notification defaults")
        verbose_name_plural = _("district notification defaults")

    def __str__(self) -> str:
        return str(self.district_id)


class Digest(models.Model):
    """A daily digest sent to one person on one day (sent once)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    items = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.day}"
