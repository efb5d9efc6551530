"""Where case attachments and activity photos go in the file storage
(core/files.py): random names, nothing of the uploaded name stored; they have
no URL and are only ever streamed by views that check scope (and
confidentiality for case files)."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from casework import conf
from core.uploads import Kind, random_name

# What each upload accepts (checked by core.uploads before anything is stored).
ATTACHMENT = Kind(types=conf.attachment_types, max_bytes=conf.attachment_max_bytes)
ACTIVITY_PHOTO = Kind(types=lambda: conf.PHOTO_TYPES, max_bytes=conf.attachment_max_bytes)


def _ext(filename: str) -> str:
    return PurePosixPath(filename.replace("\\", "/")).suffix.lower()[:10]


def case_upload_to(instance: Any, filename: str) -> str:
    return random_name("casework/attachments", _ext(filename))


def photo_upload_to(instance: Any, filename: str) -> str:
    return random_name("casework/photos", _ext(filename))
