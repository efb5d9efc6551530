"""The audit log on the list toolkit: its export archives exactly what is
filtered (and is audited with the row count), an outsider sees none of
another station's events, and the page costs no query per row."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from audit.actions import Action
from audit.models import AuditEvent
from audit.services import audit_record
from tests.factories import UserFactory
from tests.lists import assert_flat_queries, xlsx_rows

pytestmark = pytest.mark.django_db


def test_it_exports_the_filtered_log_for_archiving_and_audits_the_export(tree: Any, admin: Any, as_user: Any):
    audit_record(actor=admin, action=Action.ORGUNIT_UPDATE, target=tree.a1, changes={"name": ["甲社区", "乙社区"]})
    audit_record(actor=admin, action=Action.STAFF_CREATE, target=tree.a1)
    r = as_user(admin).get(reverse("audit:event_list"), {"action": "orgunit.", "export": "masked"})
    rows = xlsx_rows(r)
    assert rows[0][:3] == ("时间", "操作", "操作代码")
    assert [row[2] for row in rows[1:]] == ["orgunit.update"]
    assert "名称: 甲社区 → 乙社区" in rows[1][9]
    event = AuditEvent.objects.get(action="audit.export")
    assert event.changes == {"rows": 1, "unmasked": False, "selected": False}


def test_it_shows_an_outsider_none_of_another_stations_events(tree: Any, lead: Any, as_user: Any):
    outsider = UserFactory(username="lead_b", role="station_lead", unit=tree.station_b)
    audit_record(actor=lead, action=Action.ORGUNIT_UPDATE, target=tree.a1, changes={"name": ["甲一", "甲壹"]})
    assert "甲壹" in as_user(lead).get(reverse("audit:event_list")).content.decode()
    c = as_user(outsider)
    assert "甲壹" not in c.get(reverse("audit:event_list")).content.decode()
    assert "甲壹" not in c.get(reverse("audit:event_list"), {"unit": tree.a1.pk}).content.decode()
    pk = AuditEvent.objects.get(action="orgunit.update").pk
    c.post(reverse("audit:event_list"), {"bulk": "export_selected", "ids": [pk]})
    assert not AuditEvent.objects.filter(action="audit.export").exists()
    rows = xlsx_rows(c.get(reverse("audit:event_list"), {"export": "masked"}))
    assert all(row[2] != "orgunit.update" for row in rows[1:])


def test_it_refuses_the_log_and_its_export_to_a_worker(worker: Any, as_user: Any) -> None:
    assert as_user(worker).get(reverse("audit:event_list"), {"export": "masked"}).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.export").exists()


def test_it_issues_as_many_queries_for_many_events_as_for_few(tree: Any, admin: Any, as_user: Any, settings: Any):
    settings.LIST_PAGE_SIZES, settings.LIST_PAGE_SIZE = [50], 50

    def add(k: int) -> None:
        for i in range(k):
            audit_record(actor=admin, action=Action.ORGUNIT_UPDATE, target=tree.a1, changes={"name": [f"{i}", "x"]})

    assert_flat_queries(as_user(admin), reverse("audit:event_list"), add)
