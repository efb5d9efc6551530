"""Production refuses keys that are public, short or malformed.

The development keys are in settings.py, i.e. published with the source: a
production site running on one of them has no secret at all.
"""

from __future__ import annotations

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_KEY = 50
MIN_HASH_KEY = 32
_MAKE_FERNET = "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"


def require_production_keys(*, secret_key: str, field_keys: list[str], hash_key: str, published: set[str]) -> None:
    """Raise ImproperlyConfigured naming the variable at fault, never its value."""
    if secret_key in published or len(secret_key) < MIN_SECRET_KEY:
        raise ImproperlyConfigured(f"SECRET_KEY must be a random string of at least {MIN_SECRET_KEY} characters")
    if not field_keys:
        raise ImproperlyConfigured("LINLI_FIELD_KEYS is required in production")
    for n, key in enumerate(field_keys, start=1):
        if key in published:
            raise ImproperlyConfigured(f"LINLI_FIELD_KEYS key {n} is the published development key")
        try:
            Fernet(key.encode())
        except ValueError:
            raise ImproperlyConfigured(
                f"LINLI_FIELD_KEYS key {n} is not a Fernet key (32 url-safe base64 bytes); make one with {_MAKE_FERNET}"
            ) from None
    if hash_key in published:
        raise ImproperlyConfigured("LINLI_HASH_KEY is the published development key")
    if len(hash_key) < MIN_HASH_KEY:
        raise ImproperlyConfigured(f"LINLI_HASH_KEY must be a random string of at least {MIN_HASH_KEY} characters")
    if hash_key == secret_key or hash_key in field_keys:
        raise ImproperlyConfigured("LINLI_HASH_KEY must differ from SECRET_KEY and from the field keys")
