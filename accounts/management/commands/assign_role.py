"""Give an account another role from the command line: how a district
splits its administrator's powers when 三员分立 is switched on
(docs/deploy.md). The same rules as the staff page apply, and the change is
audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import staff_assign_role
from core.roles import Role


class Command(BaseCommand):
    help = "Assign a role to a staff account (e.g. split a district administrator into the three of 三员分立)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)

    def handle(self, *args: Any, **options: Any) -> None:
        staff = User.objects.filter(username__iexact=options["username"]).select_related("unit").first()
        if staff is None:
            raise CommandError(_("No account is called %(name)s.") % {"name": options["username"]})
        try:
            staff_assign_role(actor=None, staff=staff, role=options["role"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("%(name)s is now %(role)s.") % {"name": staff.username, "role": Role(options["role"]).label}
            )
        )
