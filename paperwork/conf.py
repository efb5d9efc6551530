"""Paperwork configuration, read through linli.env."""

from __future__ import annotations

from linli.env import env_int

# A batch prints at most this many forms in one PDF (a case counts its five),
# so that a request is answered in seconds; a larger batch is printed in parts.
BATCH_MAX = env_int("LINLI_PAPERWORK_BATCH_MAX", 25, minimum=5)
# Numbered rows of an empty sign-in sheet, to be filled in by hand.
SIGNIN_BLANK_ROWS = env_int("LINLI_PAPERWORK_SIGNIN_ROWS", 30, minimum=5)
