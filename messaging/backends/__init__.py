"""The channels' backends: who a recipient is on each channel, and the send.

Each channel module has `send(message: Outgoing) -> None`, raising
`DeliveryError` (or any network error) when the message did not go out;
the caller (messaging/sending.py) counts the attempt and retries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _

from core.identity import mask_phone

if TYPE_CHECKING:
    from accounts.models import User
    from messaging.api import Recipient
    from messaging.models import WeComWebhook
    from orgs.models import OrgUnit


class DeliveryError(Exception):
    """The channel refused or could not take the message (said without its body)."""


@dataclass(frozen=True)
class Outgoing:
    """One rendered message for one channel. `address` is the e-mail address,
    the mobile number, the webhook (WeCom) or empty (push: the user's
    subscriptions). `params` are the masked template parameters (SMS
    gateways take those, not a text)."""

    channel: str
    address: str
    subject: str
    text: str
    link: str
    template: str
    params: dict[str, str]
    attachment: str = ""
    user: User | None = None
    msgtype: str = "markdown"


def mask_email(address: str) -> str:
    """`z***@linli.example`."""
    local, _at, domain = address.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def station_of(to: Recipient) -> OrgUnit | None:
    unit = to.unit or (to.user.unit if to.user is not None else None)
    return unit.station if unit is not None else None


def webhook_of(to: Recipient) -> WeComWebhook | None:
    from messaging.models import WeComWebhook

    station = station_of(to)
    if station is None:
        return None
    return WeComWebhook.objects.filter(unit=station, active=True).first()


def address_of(channel: str, to: Recipient) -> str:
    if to.address:
        return to.address.strip()
    if to.user is None:
        return ""
    if channel == "email":
        return to.user.email
    if channel == "sms":
        return to.user.phone
    return ""


def configured(channel: str) -> bool:
    if channel == "email":
        return bool(settings.EMAIL_BACKEND)
    if channel == "sms":
        return settings.SMS_BACKEND == "console" or bool(settings.SMS_GATEWAY_URL)
    if channel == "wecom":
        return bool(settings.WECOM_WEBHOOK_HOSTS)
    if channel == "webpush":
        return True  # keys come from the environment or are generated on first use
    return False


def unreachable(channel: str, to: Recipient) -> str:
    """Why `to` cannot be reached on `channel` ("" when it can)."""
    if channel in {"email", "sms"} and not address_of(channel, to):
        return _("No e-mail address") if channel == "email" else _("No mobile number")
    if channel == "wecom" and webhook_of(to) is None:
        return _("The station has no WeCom group robot")
    if channel == "webpush" and (to.user is None or not to.user.push_subscriptions.exists()):
        return _("No browser allowed notifications")
    return ""


def reaches(channel: str, to: Recipient) -> bool:
    return not unreachable(channel, to)


def unit_of(channel: str, to: Recipient) -> OrgUnit | None:
    if channel == "wecom":
        return station_of(to)
    if to.user is not None and to.user.unit_id is not None:
        return to.user.unit
    return to.unit


def masked_recipient(channel: str, to: Recipient) -> str:
    address = address_of(channel, to)
    who = to.user.username if to.user is not None else ""
    if channel == "email" and address:
        shown = mask_email(address)
    elif channel == "sms" and address:
        shown = mask_phone(address)
    elif channel == "wecom":
        station = station_of(to)
        shown = station.name if station is not None else ""
    else:
        shown = ""
    return " · ".join(part for part in (who, shown) if part)[:120] or "—"


def send(message: Outgoing) -> None:
    from messaging.backends import email, sms, webpush, wecom

    senders = {"email": email.send, "sms": sms.send, "wecom": wecom.send, "webpush": webpush.send}
    senders[message.channel](message)
