"""Private file storage: uploads live under MEDIA_ROOT (outside the web root,
with no MEDIA_URL) under random names; they are only ever streamed by views
that check scope (and confidentiality for case files)."""

from __future__ import annotations

import secrets
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)

    @property
    def base_location(self) -> Any:  # read at use time so tests can move MEDIA_ROOT
        return self._value_or_setting(self._location, settings.MEDIA_ROOT)

    def url(self, name: str | None) -> str:
        raise ValueError("private files have no URL")


private_storage = PrivateStorage()


def random_name(prefix: str, original: str) -> str:
    """`<prefix>/<random>.<ext>`: nothing of the uploaded name reaches the disk."""
    ext = PurePosixPath(original.replace("\\", "/")).suffix.lower()[:10]
    return f"{prefix}/{secrets.token_hex(16)}{ext}"


def case_upload_to(instance: Any, filename: str) -> str:
    return random_name("casework/attachments", filename)


def photo_upload_to(instance: Any, filename: str) -> str:
    return random_name("casework/photos", filename)
