"""The one checked path for every uploaded file.

Each use names a `Kind`: the extensions it accepts (with the content type
stored and served), a size limit read from settings, and the content check
for each extension: an image must open and verify in Pillow as the format its
name says, an .xlsx must be a workbook's zip, a .docx must be a Word zip, a PDF
must start like one, text must decode. A file is stored only under a random
name keeping its (whitelisted) extension: `evil.php.jpg` is refused unless it
really is a JPEG, and even then is kept as `<random>.jpg`.

Forms use `CheckedFileField(kind=…)`; services call `check()` again, since
not every caller is a form.
"""

from __future__ import annotations

import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _

from linli.env import env_int

_MB = 1024 * 1024


def _limit_mb(name: str, default: int) -> Callable[[], int]:
    """A size limit in bytes from the Django setting or the environment variable `name` (in MB)."""

    def read() -> int:
        value = getattr(settings, name, None)
        return (int(value) if value is not None else env_int(name, default, minimum=1)) * _MB

    return read


@dataclass(frozen=True)
class Kind:
    types: Callable[[], dict[str, str]]  # extension → content type
    max_bytes: Callable[[], int]


@dataclass(frozen=True)
class Checked:
    name: str  # the uploaded name without any path, for display only
    ext: str
    content_type: str
    size: int


IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

PHOTO = Kind(types=lambda: IMAGE_TYPES, max_bytes=_limit_mb("LINLI_PHOTO_MAX_MB", 10))
SPREADSHEET = Kind(types=lambda: {".xlsx": XLSX_TYPE}, max_bytes=_limit_mb("LINLI_IMPORT_MAX_MB", 50))


def _image(fmt: str) -> Callable[[Any], bool]:
    def ok(upload: Any) -> bool:
        from PIL import Image

        try:
            with Image.open(upload) as image:
                found = image.format
                image.verify()
        except Exception:  # Pillow raises many kinds for a file that is not an image
            return False
        return found == fmt

    return ok


def _xlsx(upload: Any) -> bool:
    """A workbook's zip with its parts, read without parsing its sheets: an
    upload of 100,000 rows is answered at once; the import reads it in the
    background and says so if a sheet is unreadable."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
                return False
            head = archive.read("xl/workbook.xml")[:4096]
            return b"<workbook" in head or b":workbook" in head
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def _docx(upload: Any) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _pdf(upload: Any) -> bool:
    return bool(upload.read(5) == b"%PDF-")


def _text(upload: Any) -> bool:
    raw = upload.read()
    if b"\x00" in raw:
        return False
    for codec in ("utf-8", "gb18030"):
        try:
            raw.decode(codec)
            return True
        except UnicodeDecodeError:
            continue
    return False


CONTENT: dict[str, Callable[[Any], bool]] = {
    ".jpg": _image("JPEG"),
    ".jpeg": _image("JPEG"),
    ".png": _image("PNG"),
    ".webp": _image("WEBP"),
    ".xlsx": _xlsx,
    ".docx": _docx,
    ".pdf": _pdf,
    ".txt": _text,
}


def check(upload: Any, kind: Kind, *, field: str | None = None) -> Checked:
    """The upload's display name, extension and content type, or a
    ValidationError saying what is wrong (keyed by `field` when given)."""
    try:
        return _check(upload, kind)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) if field else exc from None


def _check(upload: Any, kind: Kind) -> Checked:
    name = PurePosixPath((getattr(upload, "name", "") or "").replace("\\", "/")).name.strip()
    if not name or name in {".", ".."} or "\x00" in name:
        raise ValidationError(_("The file has no usable name."))
    types = kind.types()
    ext = PurePosixPath(name).suffix.lower()
    if ext not in types:
        raise ValidationError(
            _("Files of this type are not accepted. Allowed: %(types)s") % {"types": ", ".join(sorted(types))}
        )
    size = upload.size or 0
    if not size:
        raise ValidationError(_("The file is empty."))
    limit = kind.max_bytes()
    if size > limit:
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": limit // _MB})
    content = CONTENT.get(ext)
    upload.seek(0)
    try:
        fits = content is None or content(upload)
    finally:
        upload.seek(0)
    if not fits:
        raise ValidationError(_("The file's content does not match its type."))
    return Checked(name=name[:200], ext=ext, content_type=types[ext], size=size)


def random_name(prefix: str, ext: str) -> str:
    """`<prefix>/<random><ext>` (`<random><ext>` under a field's own
    upload_to): nothing of the uploaded name reaches the storage."""
    name = f"{secrets.token_hex(16)}{ext}"
    return f"{prefix}/{name}" if prefix else name


class CheckedFileField(forms.FileField):
    """A form's file field: refused unless `check()` passes for its kind."""

    def __init__(self, *, kind: Kind, **kwargs: Any) -> None:
        self.kind = kind
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload:
            check(upload, self.kind)
        return upload


def serve(
    handle: Any, content_type: str, *, filename: str | None = None, as_attachment: bool = False, keep: int = 0
) -> FileResponse:
    """An uploaded file sent back, to a caller the view has checked is in
    scope: its stored type and never sniffed, kept by no shared cache, and by
    the browser for `keep` seconds (a thumbnail shown again) or not at all (a
    document with personal data)."""
    response = FileResponse(handle, content_type=content_type, filename=filename or "", as_attachment=as_attachment)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = f"private, max-age={keep}" if keep else "private, no-store"
    return response
