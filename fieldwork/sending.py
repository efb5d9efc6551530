"""Receiving one visit from a phone's offline queue, exactly once.

The phone names each queued visit with a UUID it generated when the visit was
typed and sends it in `_once`, the one-time token every Linli create form
carries (core.concurrency): a retry, a double tap or two tabs sending the same
queue make one visit. The visit itself goes through grading's VisitForm and
`visit_log`, the rules of every other visit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import concurrency
from fieldwork.conflicts import Known, visit_conflicts
from grading.services import visit_log
from people.models import Person

SAVED = "saved"
CONFLICT = "conflict"


@dataclass
class Sent:
    status: str  # SAVED or CONFLICT
    visit_id: int | None = None
    again: bool = False  # the same token had already made this visit
    conflicts: list[str] = field(default_factory=list)
    current: dict[str, Any] = field(default_factory=dict)


class _Refused(Exception):
    """Rolls the token back: a conflict saves nothing, so the confirmed
    re-send (or the edited visit) may use the same token."""

    def __init__(self, sent: Sent) -> None:
        super().__init__("conflict")
        self.sent = sent


def client_token(value: str | None) -> str | None:
    """The queue's own id of a visit: a UUID, nothing else (a server-drawn
    token would expire while the phone is offline)."""
    try:
        return str(uuid.UUID(str(value or "")))
    except ValueError:
        return None


def field_visit_send(
    *,
    actor: Any,
    person: Person,
    token: str,
    data: dict[str, Any],
    known: Known,
    confirmed: bool,
    path: str,
) -> Sent:
    """Log the visit unless its token already did (answer as then) or, when
    not confirmed, the person changed since the phone knew them (answer the
    conflicts, save nothing). `data` is a valid VisitForm's cleaned data.
    Raises ValidationError from visit_log, and ValidationError on a token a
    different user used."""
    try:
        with transaction.atomic():
            earlier = concurrency.take_once(token, user_id=actor.pk, path=path)
            if earlier is not None:
                if earlier.user_id != actor.pk:
                    raise ValidationError(_("This visit was sent from another account."))
                visit = concurrency.earlier_result(earlier)
                return Sent(SAVED, visit_id=visit.pk if visit is not None else None, again=True)
            if not confirmed:
                found = visit_conflicts(actor=actor, person=person, known=known)
                if found:
                    raise _Refused(Sent(CONFLICT, conflicts=found.messages, current=found.current))
            visit = visit_log(actor=actor, person=person, **concurrency.strip(dict(data)))
            concurrency.record_result(token, visit, path)
    except _Refused as refused:
        return refused.sent
    return Sent(SAVED, visit_id=visit.pk)
