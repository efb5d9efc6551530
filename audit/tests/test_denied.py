"""Refused access in the audit log (the 等保 profile): a 403, or a 404 for
another unit's record, by page or API, with the path and no query string; one
row per user and path per minute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from audit.models import AuditEvent, Outcome
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _denied() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="access.denied").order_by("id"))


def test_it_audits_a_403_once_a_minute_per_path(worker: Any, as_user: Any, settings: Any) -> None:
    settings.AUDIT_DENIED_ACCESS = True
    client = as_user(worker)
    with time_machine.travel(T0, tick=False) as clock:
        for _ in range(5):
            assert client.get(reverse("accounts:staff_list"), {"q": "110101199003074258"}).status_code == 403
        assert client.get("/audit/").status_code == 403
        clock.shift(timedelta(seconds=61))
        assert client.get(reverse("accounts:staff_list")).status_code == 403
    events = _denied()
    assert [e.note for e in events] == ["403 GET /staff/", "403 GET /audit/", "403 GET /staff/"]
    assert all(e.actor == worker and e.outcome == Outcome.DENIED and e.unit == worker.unit for e in events)
    assert not any("110101" in e.note for e in events)


@pytest.fixture
def lead_b(tree: Any) -> Any:
    return UserFactory(username="lead_b", role="station_lead", unit=tree.station_b)


def test_it_audits_a_404_for_another_units_record(
    tree: Any, lead: Any, lead_b: Any, as_user: Any, settings: Any
) -> None:
    settings.AUDIT_DENIED_ACCESS = True
    assert as_user(lead_b).get(reverse("accounts:staff_edit", args=[lead.pk])).status_code == 404
    assert as_user(lead_b).get(f"/api/v1/units/{tree.station_a.pk}").status_code == 404
    assert [e.note for e in _denied()] == [f"404 GET /staff/{lead.pk}/", f"404 GET /api/v1/units/{tree.station_a.pk}"]


def test_it_audits_an_api_403(tree: Any, worker: Any, as_user: Any, settings: Any) -> None:
    settings.AUDIT_DENIED_ACCESS = True
    response = as_user(worker).post(
        "/api/v1/units",
        {"name": "新社区", "code": "350502001099", "parent_id": tree.station_a.pk},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert [e.note for e in _denied()] == ["403 POST /api/v1/units"]


def test_it_leaves_an_ordinary_404_and_the_profile_off_alone(
    tree: Any, lead: Any, lead_b: Any, outsider: Any, as_user: Any, settings: Any
) -> None:
    settings.AUDIT_DENIED_ACCESS = True
    assert as_user(outsider).get("/no-such-page/").status_code == 404
    settings.AUDIT_DENIED_ACCESS = False
    assert as_user(lead_b).get(reverse("accounts:staff_edit", args=[lead.pk])).status_code == 404
    assert as_user(outsider).get(reverse("accounts:staff_list")).status_code == 403
    assert _denied() == []


def test_it_always_audits_logout(worker: Any, as_user: Any, settings: Any) -> None:
    settings.DENGBAO_PROFILE = False
    as_user(worker).post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action="account.logout", actor=worker).count() == 1
