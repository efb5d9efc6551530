"""partners.lists: each list exports exactly what is filtered, masked unless
the user may unmask, with one audit event naming the row count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from partners.models import ResourceEntry
from partners.tests.factories import CommunityOrganisationFactory, EnterpriseFactory
from tests.lists import xlsx_rows

pytestmark = pytest.mark.django_db


def test_the_enterprise_export_masks_phone_and_address_unless_the_user_may_unmask(
    tree: Any, worker: Any, lead: Any, as_user: Any
) -> None:
    EnterpriseFactory(unit=tree.station_a, name="甲站企业", phone="13700001234", address="工业路18号")
    EnterpriseFactory(unit=tree.station_b, name="乙站企业")
    url = reverse("partners:enterprise_list")
    rows = xlsx_rows(as_user(worker).get(url, {"export": "masked"}))
    assert [r[0] for r in rows[1:]] == ["甲站企业"]
    cells = [str(c) for c in rows[1]]
    assert "137****1234" in cells and "13700001234" not in cells and "工业路18号" not in cells
    assert as_user(worker).get(url, {"export": "unmasked"}).status_code == 403
    cells = [str(c) for c in xlsx_rows(as_user(lead).get(url, {"export": "unmasked"}))[1]]
    assert "13700001234" in cells and "工业路18号" in cells
    assert [(e.action, e.changes["rows"]) for e in AuditEvent.objects.order_by("id")] == [
        ("enterprise.export", 1),
        ("enterprise.export_unmasked", 1),
    ]


def test_the_ledger_exports_only_the_filtered_entries_and_audits_the_count(
    tree: Any, worker: Any, as_user: Any
) -> None:
    for direction, day in (("in", dt.date(2026, 2, 1)), ("out", dt.date(2026, 2, 3)), ("in", dt.date(2025, 12, 1))):
        ResourceEntry.objects.create(
            unit=tree.a1,
            direction=direction,
            kind="money",
            date=day,
            donor="张先生" if direction == "in" else "",
            recipient="李阿姨" if direction == "out" else "",
            purpose="春节慰问",
            value=100,
        )
    rows = xlsx_rows(
        as_user(worker).get(reverse("partners:ledger"), {"direction": "in", "start": "2026-01-01", "export": "masked"})
    )
    assert rows[0][:3] == ("日期", "收支", "类别")
    assert [(str(r[0])[:10], r[3]) for r in rows[1:]] == [("2026-02-01", "张先生")]
    event = AuditEvent.objects.get()
    assert (event.action, event.changes["rows"], event.changes["unmasked"]) == ("resource_entry.export", 1, False)


def test_the_organisation_export_keeps_to_the_outsiders_own_station(tree: Any, outsider: Any, as_user: Any) -> None:
    CommunityOrganisationFactory(unit=tree.a1, name="甲站互助会")
    CommunityOrganisationFactory(unit=tree.b1, name="乙站互助会")
    url = reverse("partners:organisation_list")
    rows = xlsx_rows(as_user(outsider).get(url, {"unit": tree.a1.pk, "export": "masked"}))
    assert "甲站互助会" not in [r[0] for r in rows[1:]]
    rows = xlsx_rows(as_user(outsider).get(url, {"export": "masked"}))
    assert [r[0] for r in rows[1:]] == ["乙站互助会"]
