from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core import demo


class Command(BaseCommand):
    help = "Load the demo district (idempotent: running it twice changes nothing)."

    def handle(self, *args: Any, **options: Any) -> None:
        ctx = demo.load()
        self.stdout.write(self.style.SUCCESS(_("Demo district loaded.")))
        self.stdout.write(_("Demo logins (password: %(pw)s):") % {"pw": demo.DEMO_PASSWORD})
        width = max((len(role) for role, _u, _n in ctx.logins), default=0)
        for role, username, unit in ctx.logins:
            self.stdout.write(f"  {role:<{width}}  {username:<10} {unit}")
