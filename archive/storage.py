"""What the archive accepts and where its files go in the file storage
(core/files.py): random names, no URL; streamed only by views that check
scope."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.conf import settings

from core.uploads import IMAGE_TYPES, XLSX_TYPE, Kind, random_name
from linli.env import env_int

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ARCHIVE_TYPES = {".pdf": "application/pdf", ".docx": DOCX_TYPE, ".xlsx": XLSX_TYPE, **IMAGE_TYPES}


def _max_bytes() -> int:
    value = getattr(settings, "LINLI_ARCHIVE_MAX_MB", None)
    mb = int(value) if value is not None else env_int("LINLI_ARCHIVE_MAX_MB", 20, minimum=1)
    return mb * 1024 * 1024


ARCHIVE_FILE = Kind(types=lambda: ARCHIVE_TYPES, max_bytes=_max_bytes)


def archive_upload_to(instance: Any, filename: str) -> str:
    return random_name("archive", PurePosixPath(filename.replace("\\", "/")).suffix.lower()[:10])
