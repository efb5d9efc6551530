"""URL-walk entries for messaging (see tests/leakwalk.py): a failed delivery
and a WeCom robot of station B carrying the CANARY."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.leakwalk import CANARY, Walk


def _delivery_b(w: Walk) -> Any:
    def make() -> Any:
        from messaging.models import Delivery, WeComWebhook

        WeComWebhook.objects.create(unit=w.tree.station_b, url_enc="x", url_masked=f"https://{CANARY}/?key=…")
        return Delivery.objects.create(
            channel="email",
            event="walk",
            template="walk",
            dedupe_key="walk:b",
            unit=w.tree.b1,
            recipient=CANARY,
            status="failed",
            last_error=CANARY,
        )

    return w.once("delivery_b", make)


def kwargs() -> dict[str, Callable[[Walk], Any]]:
    return {}


def populators() -> list[Callable[[Walk], Any]]:
    return [_delivery_b]
