"""企业微信 (WeCom) group robots: a POST of JSON to the station's webhook
(`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=...`). The message is
markdown (a bold title, the masked text and a link) or plain text; WeCom
answers `{"errcode": 0}` when it took it."""

from __future__ import annotations

from typing import Any

import requests
from django.conf import settings

from messaging.backends import DeliveryError, Outgoing


def payload(message: Outgoing) -> dict[str, Any]:
    if message.msgtype == "text":
        return {"msgtype": "text", "text": {"content": f"{message.subject}\n{message.text}\n{message.link}".strip()}}
    link = f"\n[{message.link}]({message.link})" if message.link and message.link not in message.text else ""
    return {"msgtype": "markdown", "markdown": {"content": f"**{message.subject}**\n{message.text}{link}"}}


def send(message: Outgoing) -> None:
    response = requests.post(message.address, json=payload(message), timeout=settings.MESSAGING_TIMEOUT_SECONDS)
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    if response.status_code != 200 or answer.get("errcode") != 0:
        code = answer.get("errcode", response.status_code)
        raise DeliveryError(f"WeCom answered {code}: {str(answer.get('errmsg', ''))[:200]}")
