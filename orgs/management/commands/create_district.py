"""Start a real district: an empty district guidance centre and its first
district administrator, in one transaction. Everything else (stations,
communities, staff, registries) is then done in the pages."""

from __future__ import annotations

import getpass
import secrets
import string
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import staff_create
from core.roles import Level, Role
from orgs.models import OrgUnit
from orgs.services import orgunit_create

# No 0/O, 1/l/I: the one-time password is read off a screen and typed in.
_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


def one_time_password(user: User) -> str:
    """A random password that passes the password rules."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _i in range(14))
        try:
            validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate


def _messages(exc: ValidationError) -> list[str]:
    fields = {
        "code": _("division code"),
        "name": _("district name"),
        "username": _("administrator username"),
        "full_name": _("administrator name"),
        "password": _("password"),
    }
    if not hasattr(exc, "error_dict"):
        return exc.messages
    return [f"{fields.get(field, field)}: {msg}" for field, errors in exc.message_dict.items() for msg in errors]


class Command(BaseCommand):
    help = (
        "Create an empty district and its first district administrator. The password comes from "
        "--password-file or a prompt; without either (no terminal), a one-time password is printed. "
        "The administrator changes it at first login."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", required=True, help="12-digit division code ending in 000000")
        parser.add_argument("--name", required=True, help="name of the district, e.g. 鲤城区")
        parser.add_argument("--admin-username", required=True, help="login name of the first administrator")
        parser.add_argument("--admin-name", required=True, help="full name of the first administrator")
        parser.add_argument("--password-file", type=Path, help="file whose first line is the password")

    def handle(self, *args: Any, **options: Any) -> None:
        code, name = options["code"].strip(), options["name"].strip()
        username, full_name = options["admin_username"].strip(), options["admin_name"].strip()
        if not full_name:
            raise CommandError(_("administrator name") + ": " + _("Give the administrator's full name."))
        # Refused before a password is asked for.
        if OrgUnit.objects.filter(code=code).exists():
            raise CommandError(
                _("division code") + ": " + _("Another unit already has the division code %(code)s.") % {"code": code}
            )
        password, generated = self._password(options["password_file"], username, full_name)
        try:
            with transaction.atomic():
                district = orgunit_create(actor=None, level=Level.DISTRICT, parent=None, name=name, code=code)
                admin = staff_create(
                    actor=None,
                    username=username,
                    full_name=full_name,
                    # 三员分立: the first account is the system administrator (docs/deploy.md).
                    role=Role.SYSTEM_ADMIN if settings.SEPARATE_ADMIN_ROLES else Role.DISTRICT_ADMIN,
                    unit=district,
                    password=password,
                )
        except ValidationError as exc:
            raise CommandError("\n".join(_messages(exc)))
        self.stdout.write(
            self.style.SUCCESS(
                _("District %(name)s (%(code)s) created with its administrator %(username)s.")
                % {"name": district.name, "code": district.code, "username": admin.username}
            )
        )
        if generated:
            self.stdout.write(_("One-time password: %(password)s") % {"password": password})
        self.stdout.write(
            _(
                "Log in as %(username)s: the password must be changed at first login. Then add the street "
                "stations, communities and staff in the pages (Organisation, Staff)."
            )
            % {"username": admin.username}
        )

    def _password(self, path: Path | None, username: str, full_name: str) -> tuple[str, bool]:
        if path is not None:
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(_("Cannot read the password file: %(error)s") % {"error": exc})
            if not lines or not lines[0]:
                raise CommandError(_("The password file is empty."))
            return lines[0], False
        if sys.stdin.isatty():
            first = getpass.getpass(_("Password for %(username)s: ") % {"username": username})
            if first != getpass.getpass(_("The same password again: ")):
                raise CommandError(_("The two passwords differ."))
            return first, False
        return one_time_password(User(username=username, full_name=full_name)), True
