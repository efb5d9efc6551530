"""Give old free-text needs their catalogue type where the mapping rule is
unambiguous (the same rule and service as the review page's button); the rest
stay on the review page. Runs as a named staff account, which is audited."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from matching.needtypes import active_types, need_type_match, needs_type_map
from matching.selectors import needs_untyped


class Command(BaseCommand):
    help = "Map open needs without a catalogue type to one where the rule finds exactly one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as", dest="username", required=True, help="staff account that makes the change")
        parser.add_argument("--dry-run", action="store_true", help="show what the rule finds, change nothing")

    def handle(self, *args: Any, username: str, dry_run: bool, **options: Any) -> None:
        actor = get_user_model().objects.filter(username=username, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active account named {username!r}.")
        needs = list(needs_untyped(actor))
        if dry_run:
            types = active_types()
            for text, n in sorted(Counter(x.need_type for x in needs).items()):
                found = need_type_match(text, types)
                verdict = found.need_type.name if found.need_type else ("?" if found.ambiguous else "-")
                choices = " / ".join(t.name for t in found.candidates) if found.ambiguous else ""
                self.stdout.write(f"{n:5d}  {text} → {verdict} {choices}".rstrip())
            return
        counts = needs_type_map(actor=actor, needs=needs)
        self.stdout.write(
            f"mapped {counts['mapped']}, ambiguous {counts['ambiguous']}, no match {counts['unmatched']} "
            "(the rest are listed on the review page)"
        )
