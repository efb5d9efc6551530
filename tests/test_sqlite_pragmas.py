"""A SQLite database file is opened as the settings say: WAL, a page cache of
LINLI_SQLITE_CACHE_MB and LINLI_SQLITE_MMAP_MB of the file read through
memory mapping (the defaults, 2 MB and none, made every page beyond a few
hundred a read() call and bulk inserts into many indexes thrash)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own settings")]


def test_it_opens_a_database_file_with_the_configured_cache_and_map(tmp_path: Path) -> None:
    wrapper = DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(tmp_path / "linli.sqlite3")})
    try:
        with wrapper.cursor() as cursor:
            found = {
                p: cursor.execute(f"PRAGMA {p}").fetchone()[0] for p in ("journal_mode", "cache_size", "mmap_size")
            }
    finally:
        wrapper.close()
    assert found == {
        "journal_mode": "wal",
        "cache_size": -settings.SQLITE_CACHE_MB * 1024,
        "mmap_size": settings.SQLITE_MMAP_MB * 1024 * 1024,
    }
