"""Where visit photos and signatures go in the file storage (core/files.py):
random names, nothing of the uploaded name stored. They have no URL and are
streamed only by grading.views_visits after the scope check."""

from __future__ import annotations

from typing import Any

from core.uploads import random_name


def photo_upload_to(instance: Any, filename: str) -> str:
    return random_name("grading/visit-photos", ".jpg")  # every visit photo is re-encoded as JPEG


def signature_upload_to(instance: Any, filename: str) -> str:
    return random_name("grading/signatures", ".png")
