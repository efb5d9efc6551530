"""SMS through an HTTP gateway, in the shape the common Chinese providers use.

The request is a JSON POST of the canonical parameters

    AccessKeyId, Timestamp (UTC ISO 8601), SignatureNonce, SignName,
    TemplateCode, TemplateParam (JSON of the template's parameters),
    PhoneNumbers

plus `Signature`: base64 of HMAC-SHA256, keyed with the access key secret,
over the canonical string `POST&/&k1=v1&k2=v2...` (keys sorted, each key and
value percent-encoded per RFC 3986). The gateway answers JSON with
`Code: "OK"`; anything else is a failure kept as the delivery's last error.
Providers do not take free text: only the template code (registered with
the provider beforehand) and its parameters, masked by messaging.api.

`LINLI_SMS_BACKEND=console` (the default) logs the masked number and the
template instead of sending.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import Mapping
from datetime import UTC
from urllib.parse import quote

import requests
from django.conf import settings
from django.utils import timezone

from core.identity import mask_phone
from messaging.backends import DeliveryError, Outgoing

log = logging.getLogger(__name__)


def _enc(value: str) -> str:
    return quote(value, safe="-_.~")


def canonical(params: Mapping[str, str]) -> str:
    """`POST&/&AccessKeyId=...&...`: what the signature covers."""
    query = "&".join(f"{_enc(k)}={_enc(params[k])}" for k in sorted(params) if k != "Signature")
    return f"POST&/&{query}"


def signature(params: Mapping[str, str], secret: str) -> str:
    digest = hmac.new(secret.encode(), canonical(params).encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def template_code(template: str) -> str:
    return settings.SMS_TEMPLATE_CODES.get(template, settings.SMS_TEMPLATE_CODE) or template


def request_params(message: Outgoing) -> dict[str, str]:
    params = {
        "AccessKeyId": settings.SMS_ACCESS_KEY_ID,
        "Timestamp": timezone.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "SignatureNonce": uuid.uuid4().hex,
        "SignName": settings.SMS_SIGN_NAME,
        "TemplateCode": template_code(message.template),
        "TemplateParam": json.dumps({**message.params, "link": message.link}, ensure_ascii=False, sort_keys=True),
        "PhoneNumbers": message.address,
    }
    params["Signature"] = signature(params, settings.SMS_ACCESS_KEY_SECRET)
    return params


def send(message: Outgoing) -> None:
    if settings.SMS_BACKEND == "console":
        log.warning("SMS (console) to %s: template %s", mask_phone(message.address), message.template)
        return
    response = requests.post(
        settings.SMS_GATEWAY_URL, json=request_params(message), timeout=settings.MESSAGING_TIMEOUT_SECONDS
    )
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    if response.status_code != 200 or answer.get("Code") != "OK":
        code = answer.get("Code") or response.status_code
        raise DeliveryError(f"SMS gateway answered {code}: {str(answer.get('Message', ''))[:200]}")
