"""Where a contract's signed copy and its evaluation reports go in the file
storage (core/files.py): random names, no URL; streamed only by views that
check scope."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from core.uploads import IMAGE_TYPES, Kind, random_name
from linli.env import env_int

CONTRACT_FILE_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    **IMAGE_TYPES,
}


def _max_bytes() -> int:
    return env_int("LINLI_CONTRACT_FILE_MAX_MB", 20, minimum=1) * 1024 * 1024


CONTRACT_FILE = Kind(types=lambda: CONTRACT_FILE_TYPES, max_bytes=_max_bytes)


def contract_file_upload_to(instance: Any, filename: str) -> str:
    return random_name("contracts/files", PurePosixPath(filename.replace("\\", "/")).suffix.lower()[:10])
