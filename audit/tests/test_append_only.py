"""The audit log is append-only: at the model, the queryset and (PostgreSQL)
the database trigger."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.models import AppendOnlyError, AuditEvent
from audit.services import audit_record, diff

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(tree: Any, admin: Any) -> AuditEvent:
    return audit_record(actor=admin, action="orgunit.update", target=tree.a1, changes={"name": ["a", "b"]})


def test_it_records_who_what_when_and_where(event: AuditEvent, admin: Any, tree: Any) -> None:
    assert (event.actor, event.actor_label, event.action) == (admin, "admin_d", "orgunit.update")
    assert (event.target_type, event.target_id, event.unit_id) == ("orgs.orgunit", str(tree.a1.pk), tree.a1.pk)
    assert event.at is not None


def test_it_refuses_to_save_a_changed_event(event: AuditEvent) -> None:
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "orgunit.update"


def test_it_refuses_to_delete_an_event(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_refuses_queryset_updates(event: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(note="x")
    assert AuditEvent.objects.get(pk=event.pk).action == "orgunit.update"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize(
    "sql",
    ["UPDATE audit_auditevent SET action = 'tampered' WHERE id = %s", "DELETE FROM audit_auditevent WHERE id = %s"],
)
def test_it_has_the_database_refuse_raw_sql(event: AuditEvent, sql: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "orgunit.update"


def test_it_diffs_only_changed_fields() -> None:
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}


def test_it_shows_the_log_in_scope_only(tree: Any, admin: Any, lead: Any, worker: Any, as_user: Any) -> None:
    audit_record(actor=admin, action="orgunit.create", target=tree.a1)
    audit_record(actor=admin, action="orgunit.update", target=tree.b1)
    lead_page = as_user(lead).get(reverse("audit:event_list"))
    assert {e.action for e in lead_page.context["lst"].page} == {"orgunit.create"}
    admin_page = as_user(admin).get(reverse("audit:event_list") + "?action=orgunit.")
    assert {e.action for e in admin_page.context["lst"].page} == {"orgunit.create", "orgunit.update"}
    assert as_user(worker).get(reverse("audit:event_list")).status_code == 403


def test_it_filters_the_log(tree: Any, admin: Any, as_user: Any) -> None:
    audit_record(actor=admin, action="orgunit.update", target=tree.a1, outcome="failure")
    audit_record(actor=admin, action="staff.create", target=tree.a1)
    page = as_user(admin).get(reverse("audit:event_list") + "?action=orgunit&outcome=failure&q=admin")
    assert [e.action for e in page.context["lst"].page] == ["orgunit.update"]
    junk = as_user(admin).get(reverse("audit:event_list") + "?outcome=%00&page=abc&action=" + "x" * 500)
    assert junk.status_code == 200


def test_it_shows_unit_less_events_to_the_district_only(tree: Any, admin: Any, lead: Any, as_user: Any) -> None:
    audit_record(actor=None, actor_label="ghost", action="account.login", outcome="failure")
    assert [e.actor_label for e in as_user(admin).get(reverse("audit:event_list")).context["lst"].page] == ["ghost"]
    assert list(as_user(lead).get(reverse("audit:event_list")).context["lst"].page) == []
