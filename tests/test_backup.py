"""Restore drill: a populated district is backed up, restored on a "fresh
machine" (another data directory, an empty database and file storage), and
comes back identical: every table's rows, every file, the audit chain, and ID
numbers that still decrypt. A machine with other keys is refused before
anything is written. On SQLite and, when reachable, PostgreSQL."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from tests import liveserver

POPULATE = """
import datetime as dt
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from audit.actions import Action
from audit.services import audit_record
from core import identity
from people.tests.factories import PersonFactory
from tests.factories import UserFactory, build_tree
tree = build_tree()
actor = UserFactory(username="drill_lead", role="station_lead", unit=tree.station_a)
for n in range(1, 13):
    person = PersonFactory(unit=tree.a1 if n % 2 else tree.a2)
    identity.store_id(person, identity.make_resident_id("350502", dt.date(1940 + n, 3, 4), n, "F"))
    person.save()
    audit_record(actor=actor, action=Action.PERSON_UPDATE, target=person)
default_storage.save("casework/attachments/plan.pdf", ContentFile(b"%PDF-1.4 drill"))
default_storage.save("reports/7-report.xlsx", ContentFile(bytes(range(256)) * 9000))  # past one sealed chunk
"""
IDS = (
    "from core import identity; from people.models import Person; "
    "print(sorted(identity.decrypt(p.id_cipher) for p in Person.objects.all()))"
)


def _rows_digest(cursor: Any, tables: list[str]) -> dict[str, tuple[int, str]]:
    out = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}"')
        rows = sorted(repr(tuple(row)) for row in cursor.fetchall())
        out[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return out


def _digests(env: dict[str, str]) -> dict[str, tuple[int, str]]:
    url = env.get("DATABASE_URL")
    if url:
        import psycopg

        with psycopg.connect(url) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            return _rows_digest(cursor, sorted(r[0] for r in cursor.fetchall()))
    lite = sqlite3.connect(Path(env["LINLI_DATA_DIR"]) / "linli.sqlite3")
    try:
        rows = lite.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return _rows_digest(lite.cursor(), sorted(r[0] for r in rows.fetchall()))
    finally:
        lite.close()


def _files(data_dir: Path) -> dict[str, str]:
    media = data_dir / "media"
    return {
        p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in media.rglob("*")
        if p.is_file()
    }


def _refused(env: dict[str, str], archive: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=liveserver.ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@contextmanager
def _databases(vendor: str) -> Iterator[list[dict[str, str]]]:
    """Database settings for the district, the fresh machine and the one with other keys."""
    if vendor == "sqlite":
        yield [{}, {}, {}]
        return
    with (
        liveserver.postgres_database("drill_a") as (a, _),
        liveserver.postgres_database("drill_b") as (b, _),
        liveserver.postgres_database("drill_c") as (c, _),
    ):
        yield [{"DATABASE_URL": a}, {"DATABASE_URL": b}, {"DATABASE_URL": c}]


@pytest.mark.parametrize(
    "vendor",
    [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(liveserver.postgres_url() is None, reason="needs DATABASE_URL on PostgreSQL"),
        ),
    ],
)
def test_it_restores_a_district_on_a_fresh_machine_exactly(vendor: str, tmp_path: Path) -> None:
    with _databases(vendor) as (db_a, db_b, db_c):
        district = liveserver.environment(tmp_path / "district", **db_a)
        liveserver.manage(district, "migrate", "--noinput", "-v0")
        liveserver.manage(district, "shell", "-c", POPULATE)
        archive = tmp_path / "district.backup"
        liveserver.manage(district, "backup", "--output", str(archive))
        raw = archive.read_bytes()
        assert b"drill" not in raw and b"%PDF" not in raw and b"SQLite format" not in raw  # sealed

        other_keys = liveserver.environment(tmp_path / "other", LINLI_FIELD_KEYS=Fernet.generate_key().decode(), **db_c)
        refused = _refused(other_keys, archive)
        assert refused.returncode != 0 and "do not match the keys" in refused.stderr
        assert _digests(other_keys) == {} and not (tmp_path / "other" / "media").exists()

        fresh = liveserver.environment(tmp_path / "fresh", **db_b)
        liveserver.manage(fresh, "restore", str(archive))

        before, after = _digests(district), _digests(fresh)
        assert len(before) > 30 and before["people_person"][0] == 12
        assert after == before
        assert _files(tmp_path / "fresh") == _files(tmp_path / "district") and len(_files(tmp_path / "fresh")) == 2
        ids = liveserver.manage(fresh, "shell", "-c", IDS).strip().splitlines()[-1]
        assert ids == liveserver.manage(district, "shell", "-c", IDS).strip().splitlines()[-1]
        assert ids.count("350502") == 12
        assert "审计链完好" in liveserver.manage(fresh, "verify_audit")


def test_it_refuses_an_archive_that_was_cut_short_or_made_with_another_backup_key(tmp_path: Path) -> None:
    district = liveserver.environment(tmp_path / "district")
    liveserver.manage(district, "migrate", "--noinput", "-v0")
    archive = tmp_path / "district.backup"
    liveserver.manage(district, "backup", "--output", str(archive))
    cut = tmp_path / "cut.backup"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    refused = _refused(liveserver.environment(tmp_path / "a"), cut)
    assert refused.returncode != 0 and "cut short" in refused.stderr
    refused = _refused(liveserver.environment(tmp_path / "b", LINLI_BACKUP_KEY="another-backup-key"), archive)
    assert refused.returncode != 0 and "cannot be read with LINLI_BACKUP_KEY" in refused.stderr


def test_it_keeps_the_configured_number_of_scheduled_backups(tmp_path: Path) -> None:
    env = liveserver.environment(tmp_path, LINLI_BACKUP_KEEP="2", LINLI_HUEY_IMMEDIATE="1")
    liveserver.manage(env, "migrate", "--noinput", "-v0")
    script = (
        "import time; from core.tasks import scheduled_backup\n"
        "for _ in range(3):\n    scheduled_backup.call_local(); time.sleep(1.1)"
    )
    liveserver.manage(env, "shell", "-c", script)
    kept = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert len(kept) == 2 and all(name.endswith(".backup") for name in kept)
