"""Where expenditure receipts go in the file storage (core/files.py): random
names, no URL; streamed only by the receipt view after the scope check."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from core.uploads import IMAGE_TYPES, Kind, random_name
from linli.env import env_int

RECEIPT_TYPES = {**IMAGE_TYPES, ".pdf": "application/pdf"}


def _max_bytes() -> int:
    return env_int("LINLI_RECEIPT_MAX_MB", 10, minimum=1) * 1024 * 1024


RECEIPT = Kind(types=lambda: RECEIPT_TYPES, max_bytes=_max_bytes)


def receipt_upload_to(instance: Any, filename: str) -> str:
    return random_name("projects/receipts", PurePosixPath(filename.replace("\\", "/")).suffix.lower()[:10])
