"""manage.py backup [--output FILE]: one encrypted archive of the database,
every stored file and the keys' fingerprints (core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backup import BackupError, backup_create, backup_dir, backup_prune, backup_write


class Command(BaseCommand):
    help = "Write an encrypted backup of the database and every stored file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", help="archive to write (default: a new one in LINLI_BACKUP_DIR)")
        parser.add_argument("--prune", action="store_true", help="then keep only the newest LINLI_BACKUP_KEEP")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["output"]:
                path = Path(options["output"])
                with path.open("wb") as out:
                    manifest = backup_write(out)
                self.stdout.write(f"{path}: {len(manifest['files'])} files")
            else:
                path = backup_create(backup_dir())
                self.stdout.write(str(path))
            if options["prune"]:
                for old in backup_prune(backup_dir(), settings.BACKUP_KEEP):
                    self.stdout.write(f"removed {old}")
        except BackupError as exc:
            raise CommandError(str(exc)) from None
