"""Real files for upload tests: core.uploads checks content, not only names."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def image_bytes(fmt: str = "JPEG") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, format=fmt)
    return buf.getvalue()


def image(name: str = "photo.jpg", fmt: str = "JPEG") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(fmt), content_type=f"image/{fmt.lower()}")


def pdf(name: str = "report.pdf", padding: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n" + b"0" * padding, content_type="application/pdf")
