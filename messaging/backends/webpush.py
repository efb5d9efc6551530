"""Browser push (Web Push, RFC 8030/8291/8292) through pywebpush: the payload
is encrypted for each of the user's subscriptions (aes128gcm) and signed
with the site's VAPID key. The keys come from LINLI_VAPID_PRIVATE_KEY /
LINLI_VAPID_PUBLIC_KEY, or are generated once into DATA_DIR/vapid/. A push
service answering 404 or 410 forgets that subscription (the browser
withdrew it)."""

from __future__ import annotations

import base64
import json
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from messaging.backends import DeliveryError, Outgoing


@cache
def vapid() -> Vapid02:
    if settings.VAPID_PRIVATE_KEY:
        return Vapid02.from_string(settings.VAPID_PRIVATE_KEY)
    path = Path(settings.DATA_DIR) / "vapid" / "private.pem"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Vapid02()
        key.generate_keys()
        key.save_key(str(path))
        path.chmod(0o600)
    return Vapid02.from_file(str(path))


def public_key() -> str:
    """The application server key a browser subscribes with (base64url of
    the uncompressed P-256 point)."""
    if settings.VAPID_PUBLIC_KEY:
        return settings.VAPID_PUBLIC_KEY
    raw = vapid().public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def payload(message: Outgoing) -> str:
    return json.dumps({"title": message.subject, "body": message.text, "url": message.link}, ensure_ascii=False)


def send(message: Outgoing) -> None:
    if message.user is None:
        raise DeliveryError("browser push needs a user")
    subscriptions = list(message.user.push_subscriptions.all())
    if not subscriptions:
        raise DeliveryError("no browser allowed notifications")
    errors: list[str] = []
    for sub in subscriptions:
        try:
            webpush(
                {"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}},
                data=payload(message),
                vapid_private_key=vapid(),
                vapid_claims={"sub": settings.VAPID_SUBJECT},
                timeout=settings.MESSAGING_TIMEOUT_SECONDS,
                ttl=24 * 3600,
            )
        except WebPushException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status in {404, 410}:
                sub.delete()
            errors.append(f"push service answered {status}")
    if len(errors) == len(subscriptions):
        raise DeliveryError("; ".join(errors)[:300])
