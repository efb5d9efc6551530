"""One attempt at a delivery: render, send outside any transaction, record.

`delivery_attempt()` claims the delivery with a conditional update (two
workers never send one delivery twice), renders the message from its
template and masked parameters, hands it to the channel's backend and
records the outcome: sent, queued again with the next wait (doubling from
MESSAGING_RETRY_SECONDS) or failed after MESSAGING_MAX_ATTEMPTS. The error
kept is the backend's, masked; the body is never stored or logged.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation

from core.identity import decrypt
from messaging.api import scrub, templates
from messaging.backends import Outgoing, address_of, send, webhook_of
from messaging.models import Delivery, Status

log = logging.getLogger(__name__)

_QUERY = re.compile(r"(https?://[^\s?'\"]+)\?[^\s'\"]*")


def redact(text: str) -> str:
    """An error without query strings (a WeCom webhook's key) or IDs and phones."""
    return scrub(_QUERY.sub(r"\1?…", text))


def absolute(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return f"{settings.LINLI_SITE_URL}/{link.lstrip('/')}"


def render(delivery: Delivery) -> Outgoing:
    """The message as it goes out: the template's words in the site language
    with the masked parameters."""
    from messaging.api import Recipient

    template = templates()[delivery.template]
    params = {k: v for k, v in delivery.params.items() if not k.startswith("_")}
    link = absolute(delivery.link)
    with translation.override(settings.LANGUAGE_CODE):
        subject = delivery.params.get("_subject") or str(template.subject).format(**params, link=link)
        text = delivery.params.get("_body") or str(template.body).format(**params, link=link)
    to = Recipient(user=delivery.user, unit=delivery.unit)
    msgtype = "markdown"
    if delivery.address_enc:
        address = decrypt(delivery.address_enc)
    elif delivery.channel == "wecom":
        hook = webhook_of(to)
        address = decrypt(hook.url_enc) if hook is not None else ""
        msgtype = hook.msgtype if hook is not None else msgtype
    else:
        address = address_of(delivery.channel, to)
    return Outgoing(
        channel=delivery.channel,
        address=address,
        subject=scrub(subject),
        text=scrub(text),
        link=link,
        template=delivery.template,
        params=params,
        attachment=delivery.attachment,
        user=delivery.user,
        msgtype=msgtype,
    )


def retry_wait(attempts: int) -> int:
    """Seconds before the next try after `attempts` failed ones."""
    return int(settings.MESSAGING_RETRY_SECONDS * 2 ** max(0, attempts - 1))


def delivery_attempt(delivery_id: int) -> int | None:
    """Try once. Returns the seconds to wait before the next try, or None
    when there is nothing more to do (sent, failed for good, or not ours)."""
    delivery = Delivery.objects.select_related("user__unit", "unit").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Status.QUEUED:
        return None
    claimed = Delivery.objects.filter(pk=delivery.pk, status=Status.QUEUED, attempts=delivery.attempts).update(
        attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        return None
    attempts = delivery.attempts + 1
    try:
        message = render(delivery)
        if not message.address and delivery.channel != "webpush":
            raise ValueError("no address")
        send(message)
    except Exception as exc:  # any failure of the channel is counted and retried
        error = redact(f"{type(exc).__name__}: {exc}")[:500]
        final = attempts >= settings.MESSAGING_MAX_ATTEMPTS
        wait = None if final else retry_wait(attempts)
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Status.FAILED if final else Status.QUEUED,
            last_error=error,
            next_attempt_at=None if wait is None else timezone.now() + timedelta(seconds=wait),
            updated_at=timezone.now(),
        )
        log.warning(
            "Delivery %s (%s, %s) attempt %d failed: %s", delivery.pk, delivery.channel, delivery.event, attempts, error
        )
        return wait
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Status.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error="", updated_at=timezone.now()
    )
    return None


def deliveries_due(*, now: datetime | None = None) -> list[int]:
    """Queued deliveries whose next try is past by a minute (a worker restarted
    and its schedule was lost): the periodic sweep sends them again."""
    now = now or timezone.now()
    stale = now - timedelta(minutes=1)
    return list(
        Delivery.objects.filter(status=Status.QUEUED, next_attempt_at__lt=stale).values_list("pk", flat=True)[:500]
    )
