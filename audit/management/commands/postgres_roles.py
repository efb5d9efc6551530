"""Print the SQL that sets up the owner and application roles on PostgreSQL
(audit/pg_roles.py, docs/deploy.md). A superuser pipes it into psql."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.pg_roles import role_script


class Command(BaseCommand):
    help = (
        "Print the SQL for two PostgreSQL roles: an owner that runs migrations and an application role "
        "that may only INSERT and SELECT on the audit log. Run it as a superuser: "
        "manage.py postgres_roles | psql -U postgres -d linli"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--owner", default="linli_owner", help="role that owns the tables (default linli_owner)")
        parser.add_argument("--app", default="linli_app", help="role the application connects as (default linli_app)")
        parser.add_argument("--database", help="database name (default: the one DATABASE_URL names)")

    def handle(self, *args: Any, **options: Any) -> None:
        database = options["database"] or settings.DATABASES["default"]["NAME"]
        try:
            self.stdout.write(role_script(owner=options["owner"], app=options["app"], database=str(database)))
        except ValueError as exc:
            raise CommandError(str(exc))
