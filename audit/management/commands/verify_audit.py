"""Recompute the audit log's hash chain and name the first event that was
changed or deleted after it was written. Exit status 1 when the chain is
broken, so a daily cron job can raise the alarm."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.archive import verify_archive
from audit.chain import Break, verify


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def explain(broken: Break) -> str:
    if broken.kind == "changed":
        return _("Audit event #%(seq)s (id %(id)s, %(at)s) was changed after it was written.") % {
            "seq": broken.seq,
            "id": broken.event_id,
            "at": _when(broken.at),
        }
    if broken.kind in ("missing", "missing_tail") and broken.seq == broken.last_seq:
        return _("Audit event #%(seq)s is missing: it was deleted after it was written.") % {"seq": broken.seq}
    if broken.kind in ("missing", "missing_tail"):
        return _("Audit events #%(first)s to #%(last)s are missing: they were deleted after they were written.") % {
            "first": broken.seq,
            "last": broken.last_seq,
        }
    if broken.kind == "unchained":
        return _(
            "%(count)s audit events carry no link of the chain (written around the application), "
            "the first with id %(id)s (%(at)s)."
        ) % {"count": broken.count, "id": broken.event_id, "at": _when(broken.at)}
    return _(
        "The chain head does not match audit event #%(seq)s, the newest: the log or its head was tampered with."
    ) % {"seq": broken.seq}


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; report the first changed or deleted event."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--archive", help="verify an archive written by export_audit instead of the database")

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("archive"):
            self._archive(Path(options["archive"]))
            return
        report = verify()
        if report.broken is not None:
            raise CommandError(explain(report.broken), returncode=1)
        self.stdout.write(
            self.style.SUCCESS(
                _("Audit chain intact: %(count)s events, the newest #%(seq)s with hash %(hash)s.")
                % {"count": report.count, "seq": report.head_seq, "hash": report.head_hash}
            )
        )

    def _archive(self, path: Path) -> None:
        try:
            with path.open(encoding="utf-8") as lines:
                check = verify_archive(lines)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        if check.problem:
            raise CommandError(check.problem, returncode=1)
        self.stdout.write(
            self.style.SUCCESS(
                _("Archive intact: %(count)s events, the newest #%(seq)s with hash %(hash)s.")
                % {"count": check.count, "seq": check.last_seq, "hash": check.last_hash}
            )
        )
