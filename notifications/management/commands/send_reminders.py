from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from notifications.scheduler import run_once


class Command(BaseCommand):
    help = "Run the reminder scheduler once (follow-ups, escalation, summaries, supervision, digests, reports)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", help="run as if it were this moment (ISO 8601), to try the rules")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["at"]:
            parsed = parse_datetime(options["at"])
            if parsed is None:
                self.stderr.write("--at: not a date and time")
                raise SystemExit(2)
            now = parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
        result = run_once(now=now)
        for key, n in result.told.items():
            self.stdout.write(f"{key}: {n}")
        self.stdout.write(f"sent: {result.sent}")
