"""Visit photos and signatures, checked and re-encoded by the server.

Whatever the phone did (grading/static/grading/photo.js resizes before
upload), every photo passes `core.uploads.check` (type, size, content) and is
then decoded and written again as a JPEG of at most the configured longer
edge: the orientation is applied and every other metadata is dropped, the GPS
block too unless the district keeps photo locations. A signature arrives as a
PNG data URL (grading/static/grading/signature.js) and is checked and
re-encoded the same way."""

from __future__ import annotations

import base64
import binascii
import io
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import uploads
from grading import conf

GPS_IFD = 0x8825
_PNG_PREFIX = "data:image/png;base64,"


@dataclass(frozen=True)
class Processed:
    content: bytes
    width: int
    height: int
    has_location: bool


def _flatten(image: Any) -> Any:
    """RGB on white: a PNG with transparency becomes a JPEG without black corners."""
    from PIL import Image

    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def photo_process(upload: Any, *, keep_location: bool, field: str = "photos") -> Processed:
    """The photo re-encoded, or a ValidationError (keyed by `field`)."""
    from PIL import Image, ImageOps

    uploads.check(upload, uploads.PHOTO, field=field)
    upload.seek(0)
    try:
        with Image.open(upload) as source:
            gps = dict(source.getexif().get_ifd(GPS_IFD)) if keep_location else {}
            image = _flatten(ImageOps.exif_transpose(source))
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError({field: _("A photo could not be read as an image.")}) from None
    finally:
        upload.seek(0)
    edge = conf.photo_max_edge()
    image.thumbnail((edge, edge))
    out = io.BytesIO()
    options: dict[str, Any] = {"quality": 85, "optimize": True}
    if gps:
        exif = Image.Exif()
        exif[GPS_IFD] = gps
        options["exif"] = exif.tobytes()
    image.save(out, "JPEG", **options)
    return Processed(content=out.getvalue(), width=image.width, height=image.height, has_location=bool(gps))


def signature_process(data: str | bytes, *, field: str = "signature") -> bytes:
    """A drawn signature (a PNG data URL, or the PNG's bytes) re-encoded as
    PNG; b"" for none. A ValidationError when it is not a PNG or too large."""
    from PIL import Image

    if not data:
        return b""
    if isinstance(data, str):
        text = data.strip()
        if not text:
            return b""
        if not text.startswith(_PNG_PREFIX):
            raise ValidationError({field: _("The signature must be drawn on the screen (a PNG image).")})
        try:
            raw = base64.b64decode(text[len(_PNG_PREFIX) :], validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError({field: _("The signature could not be read; clear it and sign again.")}) from None
    else:
        raw = data
    if len(raw) > conf.signature_max_bytes():
        raise ValidationError(
            {field: _("The signature image is larger than %(kb)s KB.") % {"kb": conf.signature_max_bytes() // 1024}}
        )
    try:
        with Image.open(io.BytesIO(raw)) as source:
            if source.format != "PNG":
                raise ValidationError({field: _("The signature must be drawn on the screen (a PNG image).")})
            if source.width > 4000 or source.height > 4000:
                raise ValidationError({field: _("The signature image is too large.")})
            image = source.convert("RGBA")
    except (OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError({field: _("The signature could not be read; clear it and sign again.")}) from None
    if image.getchannel("A").getbbox() is None:
        return b""  # a blank pad: no signature
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
