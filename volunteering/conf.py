"""Volunteering defaults, overridable by environment (read through linli.env)
or by Django settings of the same name (tests use `settings` overrides)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from linli.env import env_int, env_list, env_str

_DEFAULT_STARS = ["100", "300", "600", "1000", "1500"]


def star_thresholds() -> list[Decimal]:
    """Cumulative hours needed for 1★ … 5★ (ascending)."""
    raw = getattr(settings, "LINLI_VOLUNTEER_STAR_HOURS", None) or env_list(
        "LINLI_VOLUNTEER_STAR_HOURS", _DEFAULT_STARS
    )
    return sorted(Decimal(str(v)) for v in raw)


def late_after_working_days() -> int:
    """A record entered more than this many working days after the activity is flagged late."""
    value = getattr(settings, "LINLI_SERVICE_RECORD_LATE_DAYS", None)
    if value is not None:
        return int(value)
    return env_int("LINLI_SERVICE_RECORD_LATE_DAYS", 10, minimum=0)


MAX_HOURS_PER_RECORD = Decimal("24")


def certificate_prefix() -> str:
    """Letters before year + station + number on 志愿服务证明 numbers."""
    return getattr(settings, "LINLI_CERTIFICATE_PREFIX", None) or env_str("LINLI_CERTIFICATE_PREFIX", "ZYFW")
