"""On PostgreSQL the application's own role cannot wipe or rewrite the
audit log: the statements of `manage.py postgres_roles`, run in the test
database, leave it INSERT and SELECT only."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from audit import chain
from audit.models import AuditEvent
from audit.pg_roles import role_script, role_statements
from audit.services import audit_record
from orgs.models import OrgUnit

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def app_role(tree: Any) -> Any:
    """Both roles, created inside the test's transaction (rolled back with it),
    and the connection switched to the application role."""
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"linli_test_owner_{suffix}", f"linli_test_app_{suffix}"
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE refuses tables with pending FK checks
        for statement in role_statements(owner=owner, app=app, database=connection.settings_dict["NAME"]):
            cursor.execute(statement)
        cursor.execute(f"SET ROLE {app}")
    yield app
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def _refused(sql: str, params: list[Any] | None = None) -> str:
    with pytest.raises(DatabaseError) as exc, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])
    return str(exc.value)


@pytest.mark.skipif(not POSTGRES, reason="database roles exist on PostgreSQL only")
def test_it_lets_the_application_role_only_append_to_the_audit_log(app_role: str, admin: Any, tree: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == app_role
    event = audit_record(actor=admin, action="orgunit.update", target=tree.a1)  # INSERT (and the chain head)
    assert AuditEvent.objects.filter(pk=event.pk).exists()  # SELECT
    assert "permission denied" in _refused("UPDATE audit_auditevent SET note = 'x' WHERE id = %s", [event.pk])
    assert "permission denied" in _refused("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert "permission denied" in _refused("TRUNCATE audit_auditevent")
    assert "must be owner" in _refused("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
    assert "must be owner" in _refused("ALTER TABLE audit_auditevent DISABLE TRIGGER ALL")
    assert "must be owner" in _refused("DROP TABLE audit_auditevent")
    assert "permission denied" in _refused("CREATE TABLE sneaky (id int)")
    # Everything else is ordinary data access.
    OrgUnit.objects.filter(pk=tree.a1.pk).update(name="甲一社区")
    assert OrgUnit.objects.get(pk=tree.a1.pk).name == "甲一社区"
    assert chain.verify().broken is None


def test_it_prints_a_psql_script_and_refuses_odd_role_names() -> None:
    script = role_script(owner="linli_owner", app="linli_app", database="linli")
    assert script.startswith("\\set ON_ERROR_STOP on\nBEGIN;") and script.rstrip().endswith("COMMIT;")
    assert "GRANT SELECT, INSERT ON audit_auditevent TO linli_app" in script
    for bad in ("Linli", "app; DROP TABLE x", "a-b", ""):
        with pytest.raises(ValueError):
            role_statements(owner="linli_owner", app=bad, database="linli")
    with pytest.raises(ValueError):
        role_statements(owner="same", app="same", database="linli")
    with pytest.raises(CommandError):
        call_command("postgres_roles", "--app", "x;y")
