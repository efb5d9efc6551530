from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from messaging.models import Delivery
from portal.models import PortalAccount

PHONE = "13800138000"


def last_code(phone: str = PHONE) -> str:
    """The code of the last SMS sent to `phone` (the delivery's parameters)."""
    delivery = Delivery.objects.filter(channel="sms", template="portal_code").order_by("-pk").first()
    assert delivery is not None, "no sign-in code was sent"
    return str(delivery.params["code"])


def sign_in(client: Client, phone: str = PHONE) -> None:
    client.post("/portal/login/", {"phone": phone})
    client.post("/portal/login/code/", {"code": last_code(phone)})


@pytest.fixture
def resident(tree: Any) -> PortalAccount:
    """A registered resident of community A1 (station A)."""
    from django.utils import timezone

    return PortalAccount.objects.create(
        phone=PHONE, name="李阿姨", community=tree.a1, station=tree.station_a, privacy_accepted_at=timezone.now()
    )


@pytest.fixture
def portal_client(resident: PortalAccount) -> Client:
    client = Client()
    sign_in(client, resident.phone)
    return client
