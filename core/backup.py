"""Backups: one encrypted archive holding the database, every stored file
and a fingerprint of the keys in use (never the keys themselves).

Inside, a tar stream: `manifest.json` first (format, time, database vendor,
key fingerprints, each file's SHA-256), then the database (SQLite's online
backup of the live file, or `pg_dump --format=custom`), then `files/<name>`
for every file in the configured storage (core/files.py). Outside, the stream
is cut into 1 MiB chunks, each sealed with AES-256-GCM under LINLI_BACKUP_KEY;
a chunk's number and "last chunk" flag are part of what is authenticated, so
a reordered or truncated archive is refused, not half restored.

A restore reads the manifest before touching anything and refuses keys that
do not match its fingerprints: ID numbers encrypted under other keys would
be lost for good."""

from __future__ import annotations

import hashlib
import io
import json
import os
import secrets
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

MAGIC = b"LINLI-BACKUP-1\n"
CHUNK = 1024 * 1024
FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


# ---------------------------------------------------------------- keys


def _fingerprint(key: str) -> str:
    return hashlib.sha256(b"linli-key-fingerprint\0" + key.encode()).hexdigest()[:16]


def key_fingerprints() -> dict[str, Any]:
    return {
        "field_keys": [_fingerprint(k) for k in settings.FIELD_ENCRYPTION_KEYS],
        "hash_key": _fingerprint(settings.FIELD_HASH_KEY or ""),
    }


def check_keys(archived: dict[str, Any]) -> None:
    """The configured keys must read what the archive holds: the same hash
    key, and every field key it was made with (newer ones may be added)."""
    current = key_fingerprints()
    missing = [fp for fp in archived["field_keys"] if fp not in current["field_keys"]]
    if archived["hash_key"] != current["hash_key"] or missing:
        raise BackupError(
            "The configured LINLI_FIELD_KEYS / LINLI_HASH_KEY do not match the keys this backup was made with "
            f"(field keys {archived['field_keys']}, hash key {archived['hash_key']}; configured "
            f"{current['field_keys']}, {current['hash_key']}). Nothing was restored."
        )


def _aead() -> AESGCM:
    secret = settings.BACKUP_KEY
    if not secret:
        raise BackupError("LINLI_BACKUP_KEY is not set: backups cannot be encrypted or read.")
    return AESGCM(hashlib.sha256(b"linli-backup\0" + secret.encode()).digest())


# ---------------------------------------------------------------- sealed stream


class _Sealer(io.RawIOBase):
    """A write-only stream that seals what it is given, chunk by chunk."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out, self._aead, self._buffer, self._count = out, _aead(), bytearray(), 0
        self._prefix = secrets.token_bytes(8)
        out.write(MAGIC + self._prefix)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._buffer += data
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, plain: bytes, *, last: bool) -> None:
        flag = b"\x01" if last else b"\x00"
        sealed = self._aead.encrypt(self._prefix + struct.pack(">I", self._count), plain, MAGIC + flag)
        self._out.write(struct.pack(">I", len(sealed)) + flag + sealed)
        self._count += 1

    def finish(self) -> None:
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()


def _opened_chunks(source: IO[bytes]) -> Iterator[bytes]:
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("This is not a Linli backup archive.")
    prefix, aead, count = source.read(8), _aead(), 0
    while True:
        head = source.read(5)
        if len(head) < 5:
            raise BackupError("The archive is cut short: its last part is missing.")
        (size,), flag = struct.unpack(">I", head[:4]), head[4:5]
        sealed = source.read(size)
        if len(sealed) < size:
            raise BackupError("The archive is cut short: its last part is missing.")
        try:
            yield aead.decrypt(prefix + struct.pack(">I", count), sealed, MAGIC + flag)
        except Exception:
            raise BackupError("The archive cannot be read with LINLI_BACKUP_KEY (wrong key or damaged file).") from None
        count += 1
        if flag == b"\x01":
            return


class _Opener(io.RawIOBase):
    def __init__(self, source: IO[bytes]) -> None:
        self._chunks, self._buffer = _opened_chunks(source), b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buffer = chunk
        n = min(len(target), len(self._buffer))
        target[:n], self._buffer = self._buffer[:n], self._buffer[n:]
        return n


# ---------------------------------------------------------------- storage walk


def stored_names(folder: str = "") -> Iterator[str]:
    try:
        dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:  # nothing stored yet: the local folder is made on the first save
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in dirs:
        yield from stored_names(f"{folder}/{sub}" if folder else sub)


def _sha256(fh: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: fh.read(CHUNK), b""):
        digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------- database


def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["--host", db["HOST"] or "localhost", "--port", str(db["PORT"] or 5432), "--username", db["USER"]]
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db["PASSWORD"] else {})}
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _dump_database(target: Path) -> str:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            connection.connection.backup(dest)  # consistent while others write
        finally:
            dest.close()
        return "database.sqlite3"
    if connection.vendor == "postgresql":
        args, env = _pg_args()
        _run(["pg_dump", *args, "--format=custom", "--file", str(target), connection.settings_dict["NAME"]], env)
        return "database.pgdump"
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


def _restore_database(source: Path) -> None:
    if connection.vendor == "sqlite":
        connection.close()
        src, dest = sqlite3.connect(source), sqlite3.connect(connection.settings_dict["NAME"])
        try:
            src.backup(dest)
        finally:
            src.close()
            dest.close()
    else:
        args, env = _pg_args()
        # No owner or grants: the roles of the machine restored to may differ
        # (docs/deploy.md: run postgres_roles again afterwards).
        _run(
            ["pg_restore", *args, "--no-owner", "--no-acl", "--dbname", connection.settings_dict["NAME"], str(source)],
            env,
        )


# ---------------------------------------------------------------- backup and restore


def backup_write(out: IO[bytes]) -> dict[str, Any]:
    """Write a whole backup to `out`; returns its manifest."""
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "database"
        dump_name = _dump_database(dump)
        files: dict[str, str] = {}
        for name in stored_names():
            with default_storage.open(name, "rb") as fh:
                files[name] = _sha256(fh)
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": connection.vendor, "member": dump_name},
            "keys": key_fingerprints(),
            "files": files,
        }
        sealer = _Sealer(out)
        with tarfile.open(fileobj=sealer, mode="w|") as tar:
            body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
            tar.add(dump, arcname=dump_name)
            for name in files:
                info = tarfile.TarInfo(f"files/{name}")
                info.size = default_storage.size(name)
                with default_storage.open(name, "rb") as fh:
                    tar.addfile(info, fh)
        sealer.finish()
    return manifest


def backup_create(directory: Path) -> Path:
    """A new archive in `directory`, written under a temporary name first so
    that a half-written backup never looks like a finished one."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = directory / f"linli-{stamp}.backup"
    partial = final.with_suffix(".partial")
    with partial.open("wb") as out:
        backup_write(out)
    partial.replace(final)
    return final


def backup_prune(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives; returns those deleted."""
    archives = sorted(directory.glob("linli-*.backup"))
    old = archives[:-keep] if keep > 0 else []
    for path in old:
        path.unlink()
    return old


def restore_read(source: IO[bytes], *, replace: bool = False) -> dict[str, Any]:
    """Restore an archive into the configured database and storage."""
    if connection.introspection.table_names() and not replace:
        raise BackupError("The database is not empty; restore into an empty one, or pass --replace.")
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(fileobj=_Opener(source), mode="r|") as tar:
        members = iter(tar)
        first = next(members, None)
        extracted = tar.extractfile(first) if first is not None and first.name == "manifest.json" else None
        if extracted is None:
            raise BackupError("The archive has no manifest.")
        manifest = json.loads(extracted.read())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        check_keys(manifest["keys"])
        if manifest["database"]["vendor"] != connection.vendor:
            raise BackupError(
                f"This backup is of a {manifest['database']['vendor']} database, not {connection.vendor}."
            )
        restored: set[str] = set()
        for member in members:
            fh = tar.extractfile(member)
            if fh is None:
                continue
            if member.name == manifest["database"]["member"]:
                dump = Path(tmp) / "database"
                with dump.open("wb") as out:
                    shutil.copyfileobj(fh, out)
                _restore_database(dump)
            elif member.name.startswith("files/"):
                name = member.name.removeprefix("files/")
                if name not in manifest["files"]:
                    raise BackupError(f"The archive holds a file its manifest does not list: {name}")
                if default_storage.exists(name):
                    default_storage.delete(name)
                if default_storage.save(name, File(fh)) != name:
                    raise BackupError(f"The storage renamed {name} on restore.")
                restored.add(name)
        if restored != set(manifest["files"]):
            raise BackupError("The archive lacks files its manifest lists.")
    return manifest


def backup_dir() -> Path:
    return Path(settings.BACKUP_DIR)


def backup_scheduled() -> tuple[Path, list[Path]] | None:
    """The worker's nightly run: a new archive, then the oldest beyond
    LINLI_BACKUP_KEEP removed. None when no backup key is configured."""
    if not settings.BACKUP_KEY:
        return None
    made = backup_create(backup_dir())
    return made, backup_prune(backup_dir(), settings.BACKUP_KEEP)
