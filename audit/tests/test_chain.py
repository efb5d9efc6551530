"""The audit hash chain: a clean log verifies; an edit or a deletion made
around every other protection (raw SQL, the PostgreSQL trigger switched off
as a superuser could) is found and named; concurrent writers keep it whole."""

from __future__ import annotations

import datetime as dt
import threading
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from audit import chain
from audit.models import AuditChainHead, AuditEvent
from audit.services import audit_record

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"


def _raw(sql: str, params: list[Any] | None = None) -> None:
    """SQL around the application: with the append-only trigger off on PostgreSQL."""
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
        cursor.execute(sql, params or [])
        if POSTGRES:
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_append_only")


def _verify_command() -> str:
    with translation.override("zh-hans"):
        try:
            call_command("verify_audit", stdout=(out := _Out()))
        except CommandError as exc:
            assert exc.returncode == 1
            return "BROKEN " + str(exc)
    return out.text


class _Out:
    text = ""

    def write(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self.text += msg


@pytest.fixture
def events(tree: Any, admin: Any) -> list[AuditEvent]:
    written = [
        audit_record(actor=admin, action="orgunit.update", target=tree.a1, changes={"name": ["甲一", "甲一社区"]}),
        audit_record(actor=None, actor_label="ghost", action="account.login", outcome="failure", ip="10.0.0.9"),
        # Values a database hands back in another shape: a tuple, whole and huge floats, an IPv6 address.
        audit_record(
            actor=admin,
            action="orgunit.update",
            target=tree.b1,
            changes={"at": (1, 2), "ratio": 2.0, "big": 1e20, "small": 1.5e-7, "名": None},
            ip="2001:0db8:0000:0000::0001",
        ),
        audit_record(actor=admin, action="staff.unlock", target=admin, note="解锁"),
    ]
    return [AuditEvent.objects.get(pk=e.pk) for e in written]


def _seq(event: AuditEvent) -> int:
    assert event.seq is not None  # every event written through the application is chained
    return event.seq


def _broken() -> chain.Break:
    broken = chain.verify().broken
    assert broken is not None
    return broken


def test_it_links_every_event_to_the_one_before(events: list[AuditEvent]) -> None:
    seqs = [_seq(e) for e in events]
    assert seqs == list(range(seqs[0], seqs[0] + 4))
    assert all(len(e.chain_hash) == 64 for e in events)
    assert events[1].chain_hash == chain.link(events[0].chain_hash, chain.event_values(events[1]))
    head = AuditChainHead.objects.get()
    assert (head.seq, head.chain_hash) == (events[-1].seq, events[-1].chain_hash)


def test_it_verifies_a_clean_chain(events: list[AuditEvent]) -> None:
    report = chain.verify()
    assert report.broken is None and report.count == events[-1].seq
    assert "审计链完好" in _verify_command()


def test_it_finds_an_edited_event(events: list[AuditEvent]) -> None:
    _raw("UPDATE audit_auditevent SET actor_label = 'someone_else' WHERE id = %s", [events[1].pk])
    broken = _broken()
    assert (broken.kind, broken.seq, broken.event_id) == ("changed", events[1].seq, events[1].pk)
    message = _verify_command()
    assert message.startswith("BROKEN") and f"#{events[1].seq}" in message and "被修改" in message


def test_it_finds_an_edit_whose_hash_was_recomputed(events: list[AuditEvent]) -> None:
    # Whoever rewrites an event and its hash breaks the link of the event after it.
    edited = events[1]
    edited.note = "nothing happened"
    forged = chain.link(events[0].chain_hash, chain.event_values(edited))
    _raw("UPDATE audit_auditevent SET note = %s, chain_hash = %s WHERE id = %s", [edited.note, forged, edited.pk])
    assert _broken().seq == events[2].seq


def test_it_finds_a_deleted_event(events: list[AuditEvent]) -> None:
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    broken = _broken()
    assert (broken.kind, broken.seq, broken.last_seq) == ("missing", events[2].seq, events[2].seq)
    assert f"审计事件 #{events[2].seq} 缺失" in _verify_command()


def test_it_finds_the_newest_events_deleted(events: list[AuditEvent]) -> None:
    _raw("DELETE FROM audit_auditevent WHERE id IN (%s, %s)", [events[2].pk, events[3].pk])
    broken = _broken()
    assert (broken.kind, broken.seq, broken.last_seq) == ("missing_tail", events[2].seq, events[3].seq)
    assert f"#{events[2].seq} 至 #{events[3].seq} 缺失" in _verify_command()


def test_it_finds_an_event_written_around_the_application(events: list[AuditEvent]) -> None:
    _raw(
        "INSERT INTO audit_auditevent (at, actor_label, action, outcome, target_type, target_id, target_label,"
        " changes, note, chain_hash) VALUES (%s, 'x', 'staff.create', 'success', '', '', '', '{}', '', '')",
        [events[0].at],
    )
    broken = _broken()
    assert (broken.kind, broken.count) == ("unchained", 1)


def test_it_finds_a_tampered_head(events: list[AuditEvent]) -> None:
    AuditChainHead.objects.update(chain_hash="f" * 64)
    assert _broken().kind == "head"


def test_it_leaves_no_gap_for_a_rolled_back_event(events: list[AuditEvent], admin: Any, tree: Any) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=admin, action="orgunit.update", target=tree.a1)
        raise RuntimeError
    after = audit_record(actor=admin, action="orgunit.update", target=tree.a2)
    assert after.seq == _seq(events[-1]) + 1
    assert chain.verify().broken is None


def test_it_picks_the_chain_up_again_when_the_head_row_is_gone(events: list[AuditEvent], admin: Any) -> None:
    AuditChainHead.objects.all().delete()
    after = audit_record(actor=admin, action="account.logout", target=admin)
    assert after.seq == _seq(events[-1]) + 1
    assert chain.verify().broken is None


def test_it_seals_the_events_written_before_the_chain(tree: Any) -> None:
    """Migration 0004 chains the events an existing database already holds."""
    assert not AuditEvent.objects.exists()
    AuditChainHead.objects.all().delete()
    for n in range(3):
        _raw(
            "INSERT INTO audit_auditevent (at, actor_label, action, outcome, target_type, target_id, target_label,"
            " changes, note, chain_hash, unit_id) VALUES (%s, %s, 'orgunit.update', 'success', '', '', '',"
            " '{\"n\": [1, 2.0]}', '', '', %s)",
            [dt.datetime(2026, 11, 1, 8, n, tzinfo=dt.UTC), f"old{n}", tree.a1.pk],
        )
    migration = __import__("audit.migrations.0004_seal_existing_events", fromlist=["forwards"])
    state = MigrationExecutor(connection).loader.project_state(("audit", "0003_hash_chain"))
    migration.forwards(state.apps, SimpleNamespace(connection=connection, execute=connection.cursor().execute))
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3]
    assert chain.verify().broken is None
    audit_record(actor=None, action="account.login", actor_label="new")
    assert chain.verify().count == 4


@pytest.mark.skipif(not POSTGRES, reason="threads share one SQLite test database badly; PostgreSQL is the target")
@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_chain_whole_under_concurrent_writers(tree: Any, admin: Any) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(15):
                with transaction.atomic():
                    audit_record(actor=None, actor_label=f"w{n}", action="account.login", note=str(i))
        except BaseException as exc:  # reported below: a thread cannot fail the test itself
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = chain.verify()
    assert report.broken is None
    assert AuditEvent.objects.filter(action="account.login", actor_label__startswith="w").count() == 90
