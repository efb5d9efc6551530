"""Visit record defaults, overridable by Django settings of the same name or
the environment (read through linli.env). A district's own choices (location
check-in, photo locations) are rows of `VisitSettings`; these are the values
of a district that has not saved any."""

from __future__ import annotations

from django.conf import settings

from linli.env import env_bool, env_int


def _int(name: str, default: int, minimum: int = 0) -> int:
    value = getattr(settings, name, None)
    if value is not None:
        return int(value)
    return env_int(name, default, minimum=minimum)


def _bool(name: str, default: bool) -> bool:
    value = getattr(settings, name, None)
    if value is not None:
        return bool(value)
    return env_bool(name, default)


def location_checkin_default() -> bool:
    """Whether a district that saved no setting offers the check-in at the door."""
    return _bool("LINLI_VISIT_LOCATION_CHECKIN", True)


def keep_photo_location_default() -> bool:
    """Whether a district that saved no setting keeps the location in photos."""
    return _bool("LINLI_VISIT_KEEP_PHOTO_LOCATION", False)


def max_photos() -> int:
    """Photos one visit may carry."""
    return _int("LINLI_VISIT_MAX_PHOTOS", 6, minimum=1)


def photo_max_edge() -> int:
    """Longer side of a stored visit photo, in pixels (the phone resizes to it, the server enforces it)."""
    return _int("LINLI_VISIT_PHOTO_MAX_EDGE", 1600, minimum=320)


def max_minutes() -> int:
    """Longest duration a visit may record, in minutes."""
    return _int("LINLI_VISIT_MAX_MINUTES", 480, minimum=10)


def signature_max_bytes() -> int:
    """Largest signature image accepted (a drawn PNG is usually 10–40 KB)."""
    return _int("LINLI_VISIT_SIGNATURE_MAX_KB", 512, minimum=16) * 1024
