"""The participation area's rules, overridable by environment (linli.env) or
by Django settings of the same name (tests use `settings` overrides)."""

from __future__ import annotations

from django.conf import settings

from linli.env import env_int, env_str

# The consent a registration records (志愿服务记录与证明出具办法, 2021; PIPL):
# its version is stored with each application, so a changed text is traceable.
CONSENT_VERSION = "2021-02"


def guardian_age() -> int:
    """Below this age a registration needs a guardian's name, phone and consent (PIPL: 14)."""
    value = getattr(settings, "LINLI_PORTAL_GUARDIAN_AGE", None)
    if value is not None:
        return int(value)
    return env_int("LINLI_PORTAL_GUARDIAN_AGE", 14, minimum=0)


def consent_version() -> str:
    return getattr(settings, "LINLI_PORTAL_CONSENT_VERSION", None) or env_str(
        "LINLI_PORTAL_CONSENT_VERSION", CONSENT_VERSION
    )


def via(account: object) -> str:
    """The actor label of a portal user's audit events (their account, never their phone)."""
    return f"portal:{getattr(account, 'pk', '')}"
