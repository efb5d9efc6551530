from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.demo import DEMO_PASSWORD
from home import demo


def _width(text: str) -> int:
    """Columns on a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class Command(BaseCommand):
    help = "Load the demo district (idempotent: running it twice changes nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                _(
                    "The demo creates dozens of accounts with a published password: it never runs in production. "
                    "Start a real district with manage.py create_district."
                )
            )
        ctx = demo.load()
        self.stdout.write(self.style.SUCCESS(_("Demo district loaded.")))
        self.stdout.write(_("Demo logins (password: %(pw)s):") % {"pw": DEMO_PASSWORD})
        width = max((_width(role) for role, _u, _n in ctx.logins), default=0)
        for role, username, unit in ctx.logins:
            self.stdout.write(f"  {role}{' ' * (width - _width(role))}  {username:<10} {unit}")
