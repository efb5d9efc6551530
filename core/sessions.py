"""Sessions in the database, minus one misreading: Django's store takes any
database error on save for "the session was deleted meanwhile" and the
request ends in 400. A database that is locked or unreachable is an outage
(503, core/errors.py), not a lost session."""

from __future__ import annotations

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.db import InterfaceError, OperationalError


class SessionStore(DbSessionStore):
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except UpdateError as exc:
            if isinstance(exc.__context__, OperationalError | InterfaceError):
                raise exc.__context__ from None
            raise
