"""What leaves the system, recorded: one `Delivery` per message per channel
(never its body), a station's WeCom group robot, and a user's browser-push
subscriptions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WECOM = "wecom", _("WeCom group")
    WEBPUSH = "webpush", _("Browser push")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One message on one channel to one recipient. (channel, `dedupe_key`) is unique:
    sending the same key again on the same channel sends nothing. Stored are the template's key
    and its parameters after `messaging.api` has masked them (a masked name,
    a link, a date): never the rendered body, never an address in clear."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    event = models.CharField(_("event"), max_length=60)
    template = models.CharField(max_length=60)
    dedupe_key = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    # The unit the recipient belongs to (the user's, or the station of a
    # WeCom group): whose administrators see the delivery.
    unit = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField(_("sent to"), max_length=120)  # masked, for the lists
    address_enc = models.TextField(blank=True)  # an address given outright (not a user's), encrypted
    params = models.JSONField(default=dict)  # masked parameters and overrides, to send again
    link = models.CharField(max_length=500, blank=True)
    attachment = models.CharField(max_length=300, blank=True)  # a storage name (a generated report)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["channel", "dedupe_key"], name="messaging_one_delivery_per_key")]
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.channel}:{self.event}:{self.recipient}"


class WeComWebhook(models.Model):
    """A station's 企业微信 group robot, set by the district."""

    unit = models.OneToOneField("orgs.OrgUnit", on_delete=models.CASCADE, related_name="wecom_webhook")
    url_enc = models.TextField()  # the webhook address holds its key: encrypted at rest
    url_masked = models.CharField(_("webhook"), max_length=120)
    msgtype = models.CharField(
        _("message type"),
        max_length=10,
        choices=[("markdown", _("Markdown")), ("text", _("Text"))],
        default="markdown",
    )
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("WeCom group robot")
        verbose_name_plural = _("WeCom group robots")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.url_masked}"


class PushSubscription(models.Model):
    """One browser a user allowed to show notifications (Web Push)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("browser push subscription")
        verbose_name_plural = _("browser push subscriptions")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.endpoint[:40]}"
