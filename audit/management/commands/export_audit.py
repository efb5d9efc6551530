"""Write the audit log before a date as a verifiable archive (audit/archive.py)
for keeping off the server; the events stay in the database."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from audit.actions import Action
from audit.archive import archive_lines, archive_name
from audit.services import audit_record


class Command(BaseCommand):
    help = "Export the audit events written before a date as a signed JSON-lines archive with the chain hashes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", required=True, help="YYYY-MM-DD: archive the events before this day")
        parser.add_argument("--output", help="file to write (default: linli-audit-before-<date>.jsonl here)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            before = date.fromisoformat(options["before"])
        except ValueError as exc:
            raise CommandError(_("--before must be a date written YYYY-MM-DD.")) from exc
        path = Path(options["output"] or archive_name(before))
        if path.exists():
            raise CommandError(_("%(path)s exists already: an archive is never overwritten.") % {"path": path})
        digest = hashlib.sha256()
        count = -2  # the header and trailer lines are not events
        with path.open("x", encoding="utf-8") as out:
            for line in archive_lines(before):
                out.write(line)
                digest.update(line.encode())
                count += 1
        with transaction.atomic():
            audit_record(actor=None, action=Action.AUDIT_ARCHIVE, note=f"{path.name} ({count})")
        self.stdout.write(
            self.style.SUCCESS(
                _("%(count)s audit events written to %(path)s (SHA-256 %(hash)s).")
                % {"count": count, "path": path, "hash": digest.hexdigest()}
            )
        )
