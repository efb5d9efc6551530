"""The district's pages: what was sent and what failed (with "send again"),
the stations' group robots, and the browser-notification switch."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from messaging.api import Recipient, message_send
from messaging.models import Delivery, PushSubscription, Status, WeComWebhook

pytestmark = pytest.mark.django_db


def _failed(template: str, user: Any, key: str) -> Delivery:
    d = message_send(
        channel="email", to=Recipient(user=user), template=template, params={}, event="plan_submitted", dedupe_key=key
    )
    Delivery.objects.filter(pk=d.pk).update(status=Status.FAILED, attempts=5, last_error="SMTPServerDisconnected")
    return d


def test_it_shows_failed_deliveries_to_the_district_and_counts_them(
    as_user: Any, admin: Any, lead: Any, outsider: Any, template: str
) -> None:
    lead.email = outsider.email = "x@linli.example"
    lead.save()
    outsider.save()
    _failed(template, lead, "a")
    _failed(template, outsider, "b")
    page = as_user(admin).get(reverse("messaging:delivery_list"), {"status": "failed"})
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("SMTPServerDisconnected") == 2 and "lead_a · x***@linli.example" in text
    home = as_user(admin).get(reverse("core:home")).content.decode()
    assert reverse("messaging:delivery_list") + "?status=failed" in home
    assert as_user(lead).get(reverse("messaging:delivery_list")).status_code == 403


def test_it_sends_selected_failed_deliveries_again(as_user: Any, admin: Any, lead: Any, template: str) -> None:
    lead.email = "x@linli.example"
    lead.save()
    d = _failed(template, lead, "a")
    url = reverse("messaging:delivery_list")
    answer = as_user(admin).post(url, {"bulk": "retry", "ids": [d.pk]})
    assert answer.status_code in {200, 302}
    d.refresh_from_db()
    assert d.status in {Status.QUEUED, Status.SENT} and d.attempts <= 1


def test_it_sets_a_stations_group_robot_and_keeps_its_key_hidden(
    as_user: Any, admin: Any, lead: Any, tree: Any, settings: Any
) -> None:
    settings.WECOM_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com"]
    url = reverse("messaging:robot_edit", args=[tree.station_a.pk])
    page = as_user(admin).get(url)
    assert page.status_code == 200
    answer = as_user(admin).post(
        url,
        {
            "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=0123456789abcdef",
            "msgtype": "markdown",
            "active": "on",
        },
    )
    assert answer.status_code == 302
    hook = WeComWebhook.objects.get(unit=tree.station_a)
    assert "0123456789abcdef" not in hook.url_enc and hook.url_masked.endswith("key=0123…")
    listing = as_user(admin).get(reverse("messaging:robot_list")).content.decode()
    assert "key=0123…" in listing and "0123456789abcdef" not in listing
    refused = as_user(admin).post(url, {"url": "https://evil.example/hook?key=1", "msgtype": "text"})
    assert refused.status_code == 200 and "qyapi.weixin.qq.com" in refused.content.decode()
    assert as_user(admin).get(reverse("messaging:robot_edit", args=[tree.a1.pk])).status_code == 404  # not a station
    assert as_user(lead).get(url).status_code == 403


def test_it_stores_this_browsers_subscription_for_its_user(as_user: Any, worker: Any) -> None:
    client = as_user(worker)
    page = client.get(reverse("messaging:push"))
    assert page.status_code == 200 and "data-key=" in page.content.decode()
    url = reverse("messaging:push_subscription")
    sub = {"endpoint": "https://push.example/abc", "keys": {"p256dh": "BKey", "auth": "auth1"}}
    assert client.post(url, json.dumps(sub), content_type="application/json").status_code == 200
    assert PushSubscription.objects.get().user == worker
    bad = client.post(url, json.dumps({"endpoint": "https://push.example/x"}), content_type="application/json")
    assert bad.status_code == 400
    gone = client.post(
        url, json.dumps({"endpoint": "https://push.example/abc", "remove": True}), content_type="application/json"
    )
    assert gone.json() == {"removed": 1} and not PushSubscription.objects.exists()
