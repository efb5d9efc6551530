"""Guard: no message that leaves Linli carries an ID number, a mobile number,
a person's full name or a health detail, on any channel, nor does the log.

Every registered template (the areas' and notifications' events, scheduled
reports) is sent on every channel to real local servers (SMTP, SMS gateway,
WeCom robot, push service), with parameters drawn from a resident who has an
ID number, a mobile, a disability and health notes: the name as the name
parameter, and the ID number and mobile stuffed into every other parameter,
the way a careless caller would. Everything the servers received, the
database's deliveries and every log line are searched for them."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from core.identity import store_id
from messaging.api import Recipient, message_send, templates
from messaging.models import Delivery, Status
from messaging.sending import delivery_attempt
from messaging.services import push_subscribe, wecom_webhook_set
from messaging.tests import servers
from messaging.tests.test_channels import _b64
from people.tests.factories import person_with_category

pytestmark = pytest.mark.django_db

ID_NUMBER = "350502195003011234"
MOBILE = "13800001111"
HEALTH = "糖尿病胰岛素依赖"


@pytest.fixture
def resident(tree: Any) -> Any:
    person = person_with_category(tree.a1, "disability", name="欧阳明华", phone=MOBILE, notes=HEALTH)
    store_id(person, ID_NUMBER)
    person.save()
    return person


@pytest.fixture
def every_server(settings: Any, smtp: Any) -> Iterator[dict[str, Any]]:
    got: list[str] = []

    def record(request: servers.Request) -> tuple[int, dict[str, Any]]:
        got.append(request.path + " " + request.body.decode("utf-8", "replace"))
        return 200, {"Code": "OK", "errcode": 0}

    browser = ec.generate_private_key(ec.SECP256R1())
    auth = os.urandom(16)

    def push(request: servers.Request) -> tuple[int, dict[str, Any]]:
        got.append(http_ece.decrypt(request.body, private_key=browser, auth_secret=auth, version="aes128gcm").decode())
        return 201, {}

    for gateway in servers.http_server(record):
        for push_service in servers.http_server(push):
            settings.SMS_BACKEND = "http"
            settings.SMS_GATEWAY_URL = gateway.url
            settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET = "AK", "SK"
            settings.WECOM_WEBHOOK_HOSTS = ["127.0.0.1"]
            yield {
                "got": got,
                "smtp": smtp,
                "robot": f"{gateway.url}/cgi-bin/webhook/send?key=k1",
                "push": f"{push_service.url}/push/1",
                "p256dh": _b64(
                    browser.public_key().public_bytes(
                        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
                    )
                ),
                "auth": _b64(auth),
            }


def test_it_sends_no_id_number_phone_full_name_or_health_detail_on_any_channel(
    every_server: dict[str, Any],
    resident: Any,
    admin: Any,
    worker: Any,
    tree: Any,
    logged: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.DATA_DIR = tmp_path
    assert templates(), "no message template is registered"
    worker.email, worker.phone = "worker@linli.example", "13700002222"
    worker.save()
    wecom_webhook_set(actor=admin, unit=tree.station_a, url=every_server["robot"], msgtype="markdown", active=True)
    push_subscribe(
        actor=worker, endpoint=every_server["push"], p256dh=every_server["p256dh"], auth=every_server["auth"]
    )
    sent = 0
    for key, template in templates().items():
        params = {
            p: resident.name if (p == "name" or p.endswith("_name")) else f"{ID_NUMBER} {MOBILE}"
            for p in template.params
        }
        for channel in ("email", "sms", "wecom", "webpush"):
            d = message_send(
                channel=channel,
                to=Recipient(user=worker),
                template=key,
                params=params,
                event=key,
                dedupe_key=f"guard:{key}",
                link=f"/people/{resident.pk}/",
            )
            delivery_attempt(d.pk)
            d.refresh_from_db()
            assert d.status == Status.SENT, (key, channel, d.last_error)
            sent += 1
    outgoing = [
        *every_server["got"],
        *(raw.decode("utf-8", "replace") for raw in every_server["smtp"].raw),
        *(m.get_body().get_content() + str(m["Subject"]) for m in every_server["smtp"].messages),
    ]
    assert len(outgoing) >= sent
    stored = json.dumps(list(Delivery.objects.values()), default=str, ensure_ascii=False)
    for place, text in [*(("payload", t) for t in outgoing), ("deliveries", stored), ("log", logged.text)]:
        for secret in (ID_NUMBER, MOBILE, resident.name, HEALTH, "13700002222", "worker@linli.example"):
            if secret in {"worker@linli.example", "13700002222"} and place == "payload":
                continue  # the recipient's own address and number: the envelope
            assert secret not in text, f"{secret} in a {place}"
