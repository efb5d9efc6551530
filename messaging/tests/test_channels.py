"""Each channel against a real local server the test starts: SMTP (aiosmtpd),
the SMS gateway, a WeCom robot webhook and a Web Push service (http.server).
The servers check what a real one checks: the SMS signature, the VAPID
signature and the push payload's encryption."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from messaging.api import Recipient, channels_available, message_send
from messaging.models import Delivery, PushSubscription, Status
from messaging.sending import delivery_attempt
from messaging.services import push_subscribe, wecom_webhook_set
from messaging.tests import servers

pytestmark = pytest.mark.django_db


def _send(channel: str, to: Recipient, template: str, key: str = "k1", **extra: Any) -> Delivery:
    d = message_send(
        channel=channel,
        to=to,
        template=template,
        params={"name": "王小明"},
        event="plan_submitted",
        dedupe_key=key,
        link="/casework/plans/7/",
        **extra,
    )
    assert delivery_attempt(d.pk) is None
    d.refresh_from_db()
    return d


# ---------------------------------------------------------------- e-mail


def test_it_sends_email_over_smtp_with_a_masked_name_and_a_link(smtp: Any, template: str, lead: Any) -> None:
    lead.email = "lead@linli.example"
    lead.save()
    d = _send("email", Recipient(user=lead), template)
    assert d.status == Status.SENT and d.attempts == 1 and d.sent_at
    [mail] = smtp.messages
    assert mail["To"] == "lead@linli.example"
    body = mail.get_body().get_content()
    assert "王**" in body and "王小明" not in body
    assert "http://127.0.0.1:8000/casework/plans/7/" in body
    assert d.recipient == "lead_a · l***@linli.example"


def test_it_attaches_a_report_file_to_email_only(smtp: Any, template: str, lead: Any) -> None:
    name = default_storage.save("reports/test/monthly.xlsx", ContentFile(b"PK-report-bytes"))
    d = _send("email", Recipient(address="office@street.example"), template, attachment=name)
    assert d.status == Status.SENT
    [mail] = smtp.messages
    [part] = list(mail.iter_attachments())
    assert part.get_filename() == name.rsplit("/", 1)[-1]
    assert part.get_content() == b"PK-report-bytes"
    assert Delivery.objects.get().address_enc and "office@" not in Delivery.objects.get().address_enc


def test_it_counts_a_refused_smtp_connection_and_retries(settings: Any, template: str, lead: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", servers.free_port()
    lead.email = "lead@linli.example"
    lead.save()
    d = message_send(channel="email", to=Recipient(user=lead), template=template, params={}, event="e", dedupe_key="x")
    assert delivery_attempt(d.pk) == settings.MESSAGING_RETRY_SECONDS
    d.refresh_from_db()
    assert d.status == Status.QUEUED and d.attempts == 1 and "Connection" in d.last_error


# ---------------------------------------------------------------- SMS

SECRET = "test-secret-key"


def _expected_signature(params: dict[str, str]) -> str:
    """The gateway's own check, written from the provider's description."""
    enc = lambda v: quote(v, safe="-_.~")  # noqa: E731
    text = "POST&/&" + "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()) if k != "Signature")
    return base64.b64encode(hmac.new(SECRET.encode(), text.encode(), hashlib.sha256).digest()).decode()


@pytest.fixture
def gateway(settings: Any) -> Iterator[servers.HttpServer]:
    def answer(request: servers.Request) -> tuple[int, dict[str, Any]]:
        params = request.json()
        if params.get("AccessKeyId") != "AKID1" or params.get("Signature") != _expected_signature(params):
            return 200, {"Code": "SignatureDoesNotMatch", "Message": "bad signature"}
        return 200, {"Code": "OK", "BizId": "1"}

    for server in servers.http_server(answer):
        settings.SMS_BACKEND = "http"
        settings.SMS_GATEWAY_URL = server.url + "/sms"
        settings.SMS_ACCESS_KEY_ID = "AKID1"
        settings.SMS_ACCESS_KEY_SECRET = SECRET
        settings.SMS_TEMPLATE_CODES = {"test_plan": "SMS_0001"}
        yield server


def test_it_sends_a_signed_sms_with_the_template_code_and_masked_params(
    gateway: servers.HttpServer, template: str, lead: Any
) -> None:
    lead.phone = "13912345678"
    lead.save()
    d = _send("sms", Recipient(user=lead), template)
    assert d.status == Status.SENT, d.last_error
    [request] = gateway.requests
    params = request.json()
    assert params["PhoneNumbers"] == "13912345678"
    assert params["TemplateCode"] == "SMS_0001" and params["SignName"] == "邻里"
    assert json.loads(params["TemplateParam"]) == {"name": "王**", "link": "http://127.0.0.1:8000/casework/plans/7/"}
    assert params["SignatureNonce"] and params["Timestamp"].endswith("Z")
    assert d.recipient == "lead_a · 139****5678"


def test_it_reports_a_gateway_that_refuses_the_signature(
    gateway: servers.HttpServer, settings: Any, template: str, lead: Any
) -> None:
    settings.SMS_ACCESS_KEY_SECRET = "wrong"
    lead.phone = "13912345678"
    lead.save()
    d = message_send(channel="sms", to=Recipient(user=lead), template=template, params={}, event="e", dedupe_key="s")
    assert delivery_attempt(d.pk) is not None
    d.refresh_from_db()
    assert "SignatureDoesNotMatch" in d.last_error and d.status == Status.QUEUED


def test_it_prints_sms_on_the_console_in_development(template: str, lead: Any, logged: Any) -> None:
    lead.phone = "13912345678"
    lead.save()
    d = _send("sms", Recipient(user=lead), template)
    assert d.status == Status.SENT
    assert "139****5678" in logged.text and "13912345678" not in logged.text


# ---------------------------------------------------------------- WeCom


@pytest.fixture
def robot(settings: Any) -> Iterator[servers.HttpServer]:
    settings.WECOM_WEBHOOK_HOSTS = ["127.0.0.1"]
    yield from servers.http_server(lambda r: (200, {"errcode": 0, "errmsg": "ok"}))


def test_it_posts_markdown_to_the_stations_group_robot(
    robot: servers.HttpServer, template: str, admin: Any, worker: Any, tree: Any
) -> None:
    wecom_webhook_set(
        actor=admin,
        unit=tree.station_a,
        url=f"{robot.url}/cgi-bin/webhook/send?key=abc123",
        msgtype="markdown",
        active=True,
    )
    assert channels_available(Recipient(user=worker)) == ["wecom"]  # no address, phone or push subscription
    d = _send("wecom", Recipient(unit=tree.a1), template)
    assert d.status == Status.SENT, d.last_error
    assert d.unit == tree.station_a and d.recipient == "甲街道社工站"
    [request] = robot.requests
    assert request.path == "/cgi-bin/webhook/send?key=abc123"
    sent = request.json()
    assert sent["msgtype"] == "markdown"
    assert "王**" in sent["markdown"]["content"] and "王小明" not in sent["markdown"]["content"]
    assert "http://127.0.0.1:8000/casework/plans/7/" in sent["markdown"]["content"]


def test_it_fails_at_once_for_a_station_without_a_robot(template: str, tree: Any) -> None:
    d = message_send(
        channel="wecom", to=Recipient(unit=tree.station_b), template=template, params={}, event="e", dedupe_key="w"
    )
    assert (
        d.status == Status.FAILED and d.attempts == 0 and "robot" in d.last_error.lower()
    ) or "机器人" in d.last_error


def test_it_keeps_the_robots_key_out_of_errors(robot: servers.HttpServer, template: str, admin: Any, tree: Any) -> None:
    wecom_webhook_set(
        actor=admin,
        unit=tree.station_a,
        url=f"{robot.url}/cgi-bin/webhook/send?key=secretkey9",
        msgtype="text",
        active=True,
    )
    robot.fail_next = 1
    d = message_send(
        channel="wecom", to=Recipient(unit=tree.station_a), template=template, params={}, event="e", dedupe_key="w"
    )
    assert delivery_attempt(d.pk) is not None
    d.refresh_from_db()
    assert "-1" in d.last_error and "secretkey9" not in d.last_error
    assert delivery_attempt(d.pk) is None
    d.refresh_from_db()
    assert d.status == Status.SENT and robot.requests[-1].json()["msgtype"] == "text"


# ---------------------------------------------------------------- browser push


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@pytest.fixture
def browser_keys() -> tuple[ec.EllipticCurvePrivateKey, bytes]:
    return ec.generate_private_key(ec.SECP256R1()), os.urandom(16)


@pytest.fixture
def push_service(browser_keys: Any) -> Iterator[servers.HttpServer]:
    private, auth = browser_keys

    def answer(request: servers.Request) -> tuple[int, dict[str, Any]]:
        # VAPID (RFC 8292): a JWT signed with the key in k=, for this origin.
        scheme, _sep, rest = request.headers["authorization"].partition(" ")
        fields = dict(part.strip().split("=", 1) for part in rest.split(","))
        head, claims, sig = fields["t"].split(".")
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _unb64(fields["k"]))
        raw = _unb64(sig)
        der = utils.encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        public.verify(der, f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
        assert scheme == "vapid" and json.loads(_unb64(claims))["aud"] == f"http://127.0.0.1:{server.port}"
        request.headers["decrypted"] = http_ece.decrypt(
            request.body, private_key=private, auth_secret=auth, version="aes128gcm"
        ).decode()
        return (410, {}) if request.path.endswith("/gone") else (201, {})

    for server in servers.http_server(answer):
        yield server


def test_it_pushes_an_encrypted_vapid_signed_message(
    push_service: servers.HttpServer, browser_keys: Any, template: str, worker: Any, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path
    private, auth = browser_keys
    p256dh = _b64(
        private.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    push_subscribe(actor=worker, endpoint=f"{push_service.url}/push/abc", p256dh=p256dh, auth=_b64(auth))
    push_subscribe(actor=worker, endpoint=f"{push_service.url}/push/gone", p256dh=p256dh, auth=_b64(auth))
    assert "webpush" in channels_available(Recipient(user=worker))
    d = _send("webpush", Recipient(user=worker), template)
    assert d.status == Status.SENT, d.last_error
    assert len(push_service.requests) == 2
    shown = json.loads(push_service.requests[0].headers["decrypted"])
    assert shown["url"] == "http://127.0.0.1:8000/casework/plans/7/"
    assert "王**" in shown["body"] and "王小明" not in shown["body"]
    # The service said the second browser withdrew: it is forgotten.
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [f"{push_service.url}/push/abc"]
