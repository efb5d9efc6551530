"""Where case attachments and activity photos go in the file storage
(core/files.py): random names, nothing of the uploaded name stored; they have
no URL and are only ever streamed by views that check scope (and
confidentiality for case files)."""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath
from typing import Any


def random_name(prefix: str, original: str) -> str:
    """`<prefix>/<random>.<ext>`: nothing of the uploaded name reaches the disk."""
    ext = PurePosixPath(original.replace("\\", "/")).suffix.lower()[:10]
    return f"{prefix}/{secrets.token_hex(16)}{ext}"


def case_upload_to(instance: Any, filename: str) -> str:
    return random_name("casework/attachments", filename)


def photo_upload_to(instance: Any, filename: str) -> str:
    return random_name("casework/photos", filename)
