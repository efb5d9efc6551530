from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """In-app notifications and reminders: what to tell whom and when. Areas
    call `notifications.api.notify` from their services; external channels
    go through `messaging`."""

    name = "notifications"
    verbose_name = _("Notifications")
