"""manage.py restore FILE [--replace]: the database and stored files from
an archive, after checking that the configured keys match its fingerprints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backup import BackupError, restore_read


class Command(BaseCommand):
    help = "Restore a backup made by manage.py backup into this site's database and file storage."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")
        parser.add_argument("--replace", action="store_true", help="overwrite a database that is not empty")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with Path(options["archive"]).open("rb") as source:
                manifest = restore_read(source, replace=options["replace"])
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"restored the backup of {manifest['created_at']}: {len(manifest['files'])} files")
