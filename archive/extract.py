"""Text read from an archived file for the search box: a Word document's
paragraphs and a workbook's strings with the standard library, a PDF's text
with poppler's `pdftotext` when the host has it (make run installs it);
images and anything unreadable give no text, and the document is still found
by its title, description and file name."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import zipfile
from html import unescape
from typing import Any

from core.identity import normalise_text

LIMIT = 200_000  # characters kept: enough for a rule book, small in the database
_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH = re.compile(r"</w:p>|</si>")


def _zip_text(upload: Any, part: str) -> str:
    try:
        with zipfile.ZipFile(upload) as archive:
            if part not in archive.namelist():
                return ""
            xml = archive.read(part)[: LIMIT * 8].decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, KeyError):
        return ""
    return unescape(_TAG.sub("", _PARAGRAPH.sub("\n", xml)))


def _pdf_text(upload: Any) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        return ""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
        for chunk in iter(lambda: upload.read(1 << 16), b""):
            copy.write(chunk)
        copy.flush()
        try:
            done = subprocess.run(
                [tool, "-q", "-enc", "UTF-8", copy.name, "-"], capture_output=True, timeout=20, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return ""
    return done.stdout[: LIMIT * 4].decode("utf-8", "replace")


def text_of(upload: Any, ext: str) -> str:
    upload.seek(0)
    try:
        if ext == ".docx":
            raw = _zip_text(upload, "word/document.xml")
        elif ext == ".xlsx":
            raw = _zip_text(upload, "xl/sharedStrings.xml")
        elif ext == ".pdf":
            raw = _pdf_text(upload)
        else:
            raw = ""
    finally:
        upload.seek(0)
    return "\n".join(normalise_text(line) for line in raw.splitlines() if line.strip())[:LIMIT]
