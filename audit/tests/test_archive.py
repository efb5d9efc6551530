"""The audit archive: `manage.py export_audit --before` and the audit
administrator's download write every event before a day with its chain
hashes, signed, so that `verify_audit --archive` proves it later; the events
stay in the database."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from audit.archive import verify_archive
from audit.models import AuditEvent
from audit.services import audit_record
from core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(tree: Any, admin: Any) -> list[AuditEvent]:
    events = []
    for day in (1, 2, 3):
        with time_machine.travel(datetime(2026, 5, day, 4, 0, tzinfo=UTC), tick=False):
            events.append(
                audit_record(actor=admin, action="staff.update", target=admin, changes={"phone": ["1", f"{day}"]})
            )
    return events


def _export(tmp_path: Path, before: str) -> Path:
    out = tmp_path / "archive.jsonl"
    call_command("export_audit", before=before, output=str(out))
    return out


def test_it_archives_every_event_before_the_day_and_verifies_it(tmp_path: Path, history: list[AuditEvent]) -> None:
    out = _export(tmp_path, "2026-05-03")
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    events = [json.loads(line) for line in lines[1:-1]]
    assert [e["event"]["seq"] for e in events] == [history[0].seq, history[1].seq]
    assert [e["chain_hash"] for e in events] == [history[0].chain_hash, history[1].chain_hash]
    check = verify_archive(lines)
    assert check.problem == "" and check.count == 2 and check.last_hash == history[1].chain_hash
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in history]).count() == 3  # nothing deleted
    call_command("verify_audit", archive=str(out))
    assert AuditEvent.objects.filter(action="audit.archive").exists()


def test_it_finds_an_edited_a_removed_and_a_missing_line(tmp_path: Path, history: list[AuditEvent]) -> None:
    lines = _export(tmp_path, "2026-05-04").read_text(encoding="utf-8").splitlines(keepends=True)
    edited = lines.copy()
    edited[2] = edited[2].replace('"2"]', '"9"]')
    assert "#2" in verify_archive(edited).problem
    assert "#2" in verify_archive(lines[:2] + lines[3:]).problem
    assert verify_archive(lines[:-1]).problem  # cut short
    forged = [*lines[:-1], lines[-1].replace('"signature":"', '"signature":"0')]
    assert verify_archive(forged).problem
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(edited), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("verify_audit", archive=str(bad))


def test_it_never_overwrites_an_archive_and_wants_a_date(tmp_path: Path, history: list[AuditEvent]) -> None:
    out = _export(tmp_path, "2026-05-03")
    with pytest.raises(CommandError):
        call_command("export_audit", before="2026-05-03", output=str(out))
    with pytest.raises(CommandError):
        call_command("export_audit", before="3 May", output=str(tmp_path / "other.jsonl"))


def test_it_lets_the_audit_administrator_download_the_archive(
    tree: Any, history: list[AuditEvent], lead: Any, as_user: Any, settings: Any
) -> None:
    settings.SEPARATE_ADMIN_ROLES = True
    auditor = UserFactory(username="aud_d", role=Role.AUDIT_ADMIN, unit=tree.district)
    client = as_user(auditor)
    assert b"audit-archive" in client.get("/audit/").content
    response = client.get(reverse("audit:archive"), {"before": "2026-05-04"})
    assert response.status_code == 200
    assert "linli-audit-before-2026-05-04.jsonl" in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode().splitlines(keepends=True)
    assert verify_archive(lines).count == 3
    assert client.get(reverse("audit:archive"), {"before": "soon"}).status_code == 302
    assert as_user(lead).get(reverse("audit:archive"), {"before": "2026-05-04"}).status_code == 403
    system = UserFactory(username="sys_d", role=Role.SYSTEM_ADMIN, unit=tree.district)
    assert as_user(system).get(reverse("audit:archive"), {"before": "2026-05-04"}).status_code == 403
