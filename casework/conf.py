"""Casework configuration: defaults here, overridable by Django settings of
the same name or the environment (read through linli.env)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from linli.env import env_int, env_list, env_str

DEFAULT_CASE_NUMBER_PATTERN = "{domain}-{seq:04d}-{opened:%Y%m%d}-{station}-{worker}"
_DEFAULT_PREFIXES = ["assistance=AST", "elderly=ELD", "children=CHD", "governance=GOV"]
_DEFAULT_TYPES = [
    ".pdf=application/pdf",
    ".jpg=image/jpeg",
    ".jpeg=image/jpeg",
    ".png=image/png",
    ".docx=application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".txt=text/plain",
]


def _setting(name: str) -> Any:
    return getattr(settings, name, None)


def case_number_pattern() -> str:
    """Fields: {domain} prefix, {seq} station sequence, {opened} date,
    {station} 3-digit street code, {worker} worker id, {year}."""
    return _setting("LINLI_CASE_NUMBER_PATTERN") or env_str("LINLI_CASE_NUMBER_PATTERN", DEFAULT_CASE_NUMBER_PATTERN)


def domain_prefixes() -> dict[str, str]:
    raw = _setting("LINLI_CASE_DOMAIN_PREFIXES") or env_list("LINLI_CASE_DOMAIN_PREFIXES", _DEFAULT_PREFIXES)
    pairs = (item.split("=", 1) for item in raw if "=" in item)
    return {code.strip(): prefix.strip() for code, prefix in pairs}


def attachment_types() -> dict[str, str]:
    """Allowed extension → the content type stored and served."""
    raw = _setting("LINLI_CASE_ATTACHMENT_TYPES") or env_list("LINLI_CASE_ATTACHMENT_TYPES", _DEFAULT_TYPES)
    pairs = (item.split("=", 1) for item in raw if "=" in item)
    return {ext.strip().lower(): ctype.strip() for ext, ctype in pairs}


def attachment_max_bytes() -> int:
    value = _setting("LINLI_CASE_ATTACHMENT_MAX_MB")
    mb = int(value) if value is not None else env_int("LINLI_CASE_ATTACHMENT_MAX_MB", 10, minimum=1)
    return mb * 1024 * 1024


PHOTO_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


# ---------------------------------------------------------------- sign-in by QR code


def _minutes(name: str, default: int) -> int:
    value = _setting(name)
    return int(value) if value is not None else env_int(name, default, minimum=0)


def signin_opens_minutes() -> int:
    """An activity's sign-in link works from this many minutes before it starts …"""
    return _minutes("LINLI_SIGNIN_OPENS_MINUTES", 60)


def signin_closes_minutes() -> int:
    """… to this many minutes after it ends."""
    return _minutes("LINLI_SIGNIN_CLOSES_MINUTES", 120)


def signin_rate() -> tuple[int, int, int]:
    """(sign-ins per address, sign-ins per phone number, within this many
    seconds): more are refused with a message until the window has passed."""
    return (
        _minutes("LINLI_SIGNIN_PER_IP", 30),
        _minutes("LINLI_SIGNIN_PER_PHONE", 5),
        _minutes("LINLI_SIGNIN_RATE_SECONDS", 600),
    )


# ---------------------------------------------------------------- referrals (转介)


def referral_link_days() -> int:
    """A receiving party's answer link works this many days after it is issued."""
    return _minutes("LINLI_REFERRAL_LINK_DAYS", 14) or 14


def referral_answer_days() -> int:
    """Without an answer this many days after the link was issued, the
    referral is overdue: the case worker's to-do and one notification."""
    return _minutes("LINLI_REFERRAL_ANSWER_DAYS", 7) or 7


def referral_rate() -> tuple[int, int]:
    """(answer-page requests per address, within this many seconds)."""
    return _minutes("LINLI_REFERRAL_PER_IP", 30), _minutes("LINLI_REFERRAL_RATE_SECONDS", 600)
