"""Two PostgreSQL roles, so that the application cannot wipe its own audit log.

- the **owner** role owns the schema's tables and runs `manage.py migrate`;
- the **application** role (the web and worker processes) has ordinary
  SELECT/INSERT/UPDATE/DELETE on every table, except the audit log, where it
  may only INSERT and SELECT. Not owning the table, it can neither TRUNCATE
  it nor ALTER it to switch the append-only trigger off.

`manage.py postgres_roles` prints these statements for a superuser to run
(docs/deploy.md); the test runs the same statements against the test database.
"""

from __future__ import annotations

import re

AUDIT_TABLE = "audit_auditevent"
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _name(value: str, what: str) -> str:
    # Plain lower-case identifiers only: they go into SQL unquoted.
    if not _NAME.fullmatch(value):
        raise ValueError(f"{what} must be a lower-case PostgreSQL name (letters, digits, _), got {value!r}")
    return value


def role_statements(*, owner: str, app: str, database: str) -> list[str]:
    """Idempotent: safe to run again, e.g. after a migration run by another role."""
    owner, app, database = _name(owner, "owner"), _name(app, "app"), _name(database, "database")
    if owner == app:
        raise ValueError("the owner and the application role must differ")
    return [
        # The roles log in; set their passwords with \password afterwards.
        f"""DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{owner}') THEN CREATE ROLE {owner} LOGIN; END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{app}') THEN CREATE ROLE {app} LOGIN; END IF;
END $$""",
        f"ALTER ROLE {app} NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS",
        f"GRANT CONNECT ON DATABASE {database} TO {owner}, {app}",
        # Only the owner creates objects.
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE, CREATE ON SCHEMA public TO {owner}",
        f"GRANT USAGE ON SCHEMA public TO {app}",
        # The owner owns every table (and with it the table's id sequence),
        # whoever ran the first migrations.
        f"""DO $$ DECLARE t record; BEGIN
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
        EXECUTE format('ALTER TABLE public.%I OWNER TO {owner}', t.tablename);
    END LOOP;
END $$""",
        # Ordinary data access for the application, now and for tables later migrations create.
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {app}",
        # The audit log: append and read, nothing else.
        f"REVOKE ALL ON {AUDIT_TABLE} FROM PUBLIC, {app}",
        f"GRANT SELECT, INSERT ON {AUDIT_TABLE} TO {app}",
    ]


def role_script(*, owner: str, app: str, database: str) -> str:
    """The statements as one psql script that stops at the first error."""
    body = ";\n".join(role_statements(owner=owner, app=app, database=database))
    return f"\\set ON_ERROR_STOP on\nBEGIN;\n{body};\nCOMMIT;\n"
