"""Production refuses to start on published, short or malformed keys, and
refuses to load the demo district."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from linli import settings as dev_settings

ROOT = Path(__file__).resolve().parent.parent
GOOD_SECRET = "k7#Qz!v2" + "x9Lm$Rp4wT8bN1cF6hJ3" * 3
# Fixed, not generated: pytest-xdist workers must collect identical test ids.
GOOD_FIELD_KEY = "q0bYpC3c8vN2mJ5kR7tW9xZ1aD4fG6hK8lM0nP2rS4U="
SECOND_FIELD_KEY = "Zr3xV5nB7mQ9wE1tY3uI5oP7aS9dF1gH3jK5lZ7xC9A="
GOOD_HASH_KEY = "f3a9c2e71b8d4f6a0e5c9b2d7a1f4e8c"


def _production(tmp_path: Path, *argv: str, **overrides: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ["PATH"],
        "LINLI_ENV": "production",
        "SECRET_KEY": GOOD_SECRET,
        "LINLI_FIELD_KEYS": GOOD_FIELD_KEY,
        "LINLI_HASH_KEY": GOOD_HASH_KEY,
        "ALLOWED_HOSTS": "linli.example.cn",
        "LINLI_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "linli.settings",
        **overrides,
    }
    command = list(argv) or ["-c", "import linli.settings"]
    return subprocess.run([sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_it_starts_production_with_good_keys(tmp_path: Path) -> None:
    result = _production(tmp_path, LINLI_FIELD_KEYS=f"{GOOD_FIELD_KEY},{SECOND_FIELD_KEY}")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("SECRET_KEY", dev_settings._DEV_SECRET, "SECRET_KEY must be a random string"),
        ("SECRET_KEY", "x" * 49, "SECRET_KEY must be a random string"),
        ("LINLI_FIELD_KEYS", dev_settings._DEV_FIELD_KEY, "key 1 is the published development key"),
        ("LINLI_FIELD_KEYS", f"{GOOD_FIELD_KEY},{dev_settings._DEV_FIELD_KEY}", "key 2 is the published"),
        ("LINLI_FIELD_KEYS", "not-a-fernet-key", "key 1 is not a Fernet key"),
        ("LINLI_FIELD_KEYS", GOOD_FIELD_KEY[:-4], "key 1 is not a Fernet key"),  # truncated
        ("LINLI_FIELD_KEYS", "", "LINLI_FIELD_KEYS is required"),
        ("LINLI_HASH_KEY", dev_settings._DEV_HASH_KEY, "LINLI_HASH_KEY is the published development key"),
        ("LINLI_HASH_KEY", GOOD_HASH_KEY[:31], "at least 32 characters"),
        ("LINLI_HASH_KEY", GOOD_SECRET, "must differ from SECRET_KEY"),
    ],
)
def test_it_refuses_published_short_or_malformed_keys(tmp_path: Path, name: str, value: str, says: str) -> None:
    result = _production(tmp_path, **{name: value})
    assert result.returncode != 0
    message = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in message and says in message, result.stderr
    assert len(value) < 8 or value not in message  # names the variable, never echoes the key


def test_it_refuses_to_load_the_demo_in_production(tmp_path: Path) -> None:
    result = _production(tmp_path, "manage.py", "load_demo")
    assert result.returncode != 0
    assert "演示数据" in result.stderr and "create_district" in result.stderr, result.stderr
