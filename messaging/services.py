"""Writes of the messaging app: a station's WeCom robot, a failed delivery
sent again, a browser's push subscription."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.services import audit_record
from core.access import Perm, require, require_unit_in_scope
from core.identity import encrypt
from core.roles import Level
from messaging.models import Delivery, PushSubscription, Status, WeComWebhook

if TYPE_CHECKING:
    from accounts.models import User
    from orgs.models import OrgUnit


def mask_webhook(url: str) -> str:
    """The address without its key: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1a2b…`."""
    parts = urlsplit(url)
    key = parts.query.partition("key=")[2]
    return f"{parts.scheme}://{parts.netloc}{parts.path}?key={key[:4]}…"[:120]


def _check_webhook(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.hostname not in settings.WECOM_WEBHOOK_HOSTS:
        raise ValidationError({"url": _("A WeCom group robot's address starts with https://qyapi.weixin.qq.com/.")})
    if parts.scheme != "https" and (settings.PRODUCTION or parts.scheme != "http"):
        raise ValidationError({"url": _("A WeCom group robot's address starts with https://qyapi.weixin.qq.com/.")})
    if "key=" not in parts.query:
        raise ValidationError({"url": _("The address has no key: copy the robot's whole webhook address.")})
    return url


@transaction.atomic
def wecom_webhook_set(*, actor: User, unit: OrgUnit, url: str, msgtype: str, active: bool) -> WeComWebhook:
    """Set (or replace) a station's group robot; the district does it."""
    require(actor, Perm.CONFIG_MANAGE)
    require_unit_in_scope(actor, unit)
    if unit.level != Level.STATION:
        raise ValidationError({"unit": _("Group robots belong to street stations.")})
    if msgtype not in {"markdown", "text"}:
        raise ValidationError({"msgtype": _("Choose markdown or text.")})
    current = WeComWebhook.objects.filter(unit=unit).first()
    if not url.strip() and current is None:
        raise ValidationError({"url": _("Enter the robot's webhook address.")})
    address: dict[str, str] = {}
    if url.strip():
        checked = _check_webhook(url)
        address = {"url_enc": encrypt(checked), "url_masked": mask_webhook(checked)}
    hook, created = WeComWebhook.objects.update_or_create(
        unit=unit, defaults={**address, "msgtype": msgtype, "active": active}
    )
    audit_record(
        actor=actor,
        action=Action.WECOM_WEBHOOK_SET,
        target=hook,
        unit=unit,
        changes={"webhook": hook.url_masked, "msgtype": msgtype, "active": active, "created": created},
    )
    return hook


@transaction.atomic
def delivery_retry(*, actor: User, delivery: Delivery) -> Delivery:
    """Queue a failed delivery again with fresh attempts."""
    from messaging.api import _queue

    require(actor, Perm.CONFIG_MANAGE)
    require_unit_in_scope(actor, delivery.unit)
    if delivery.status != Status.FAILED:
        raise ValidationError(_("Only a failed message can be sent again."))
    Delivery.objects.filter(pk=delivery.pk).update(status=Status.QUEUED, attempts=0, next_attempt_at=None)
    delivery.refresh_from_db()
    audit_record(
        actor=actor,
        action=Action.DELIVERY_RETRY,
        target=delivery,
        unit=delivery.unit,
        changes={"channel": delivery.channel, "event": delivery.event, "last_error": delivery.last_error},
    )
    _queue(delivery.pk)
    return delivery


@transaction.atomic
def push_subscribe(*, actor: User, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    """This browser may show the actor's notifications (one row per endpoint)."""
    if not endpoint.startswith("https://") and settings.PRODUCTION:
        raise ValidationError({"endpoint": _("A push address must use https.")})
    if not (endpoint and p256dh and auth) or len(endpoint) > 1000 or len(p256dh) > 200 or len(auth) > 100:
        raise ValidationError({"endpoint": _("This browser sent an incomplete subscription.")})
    sub, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": actor, "p256dh": p256dh, "auth": auth}
    )
    audit_record(actor=actor, action=Action.PUSH_SUBSCRIBE, target=sub, unit=actor.unit)
    return sub


@transaction.atomic
def push_unsubscribe(*, actor: User, endpoint: str) -> int:
    deleted, _rows = PushSubscription.objects.filter(user=actor, endpoint=endpoint).delete()
    if deleted:
        audit_record(actor=actor, action=Action.PUSH_UNSUBSCRIBE, unit=actor.unit)
    return deleted
