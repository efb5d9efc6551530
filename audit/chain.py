"""The audit log's hash chain: each event carries SHA-256(previous hash +
its own canonical content), so an edit or a deletion anywhere in the log —
even one made with raw SQL around every other protection — breaks the chain
at that event, and `manage.py verify_audit` names it.

Appends are serialised on the one AuditChainHead row (the newest event's
number and hash): SELECT … FOR UPDATE on PostgreSQL; on SQLite every
transaction is BEGIN IMMEDIATE (settings: transaction_mode), which already
holds the database's write lock. The head is locked inside the caller's
transaction, so an event whose transaction rolls back never becomes a link.
Cost per event: one read and one write of the head row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.utils import timezone

GENESIS = "0" * 64
HEAD_PK = 1
# The stored fields an event's hash covers, in this order; `seq` places it in the chain.
FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "ip",
    "action",
    "outcome",
    "target_type",
    "target_id",
    "target_label",
    "unit_id",
    "changes",
    "note",
)


def _plain_json(value: Any) -> Any:
    """JSON as PostgreSQL's jsonb hands it back: a whole float (1e20, 2.0)
    may come back as an integer, so both count as the integer."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _plain_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_json(v) for v in value]
    return value


def _text(name: str, value: Any) -> Any:
    if name == "at":
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if name == "changes":
        return _plain_json(json.loads(json.dumps(value)))  # as stored: tuples become lists, keys strings
    return value


def link(previous: str, values: Mapping[str, Any]) -> str:
    """The hash of one event given the previous event's hash."""
    content = json.dumps({f: _text(f, values[f]) for f in FIELDS}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


def event_values(event: Any) -> dict[str, Any]:
    return {f: getattr(event, f) for f in FIELDS}


def _locked_head() -> Any:
    from audit.models import AuditChainHead, AuditEvent

    head = AuditChainHead.objects.select_for_update().filter(pk=HEAD_PK).first()
    if head is not None:
        return head
    # No head yet (a new database, or one a test runner flushed): start it at
    # the newest chained event, if any.
    last = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values("seq", "chain_hash").first()
    try:
        with transaction.atomic():
            return AuditChainHead.objects.create(
                pk=HEAD_PK,
                seq=cast(int, last["seq"]) if last else 0,  # filtered to chained events above
                chain_hash=last["chain_hash"] if last else GENESIS,
            )
    except IntegrityError:  # another writer created it first; wait for its lock
        return AuditChainHead.objects.select_for_update().get(pk=HEAD_PK)


def append(event: Any) -> Any:
    """Save a new AuditEvent as the next link of the chain."""
    from audit.models import AuditChainHead

    with transaction.atomic():
        head = _locked_head()
        event.seq = head.seq + 1
        event.at = timezone.now()  # taken under the lock, so time follows the chain
        # Hash the value the database will hand back (PostgreSQL's inet compresses IPv6).
        event.ip = event._meta.get_field("ip").get_prep_value(event.ip)
        event.chain_hash = link(head.chain_hash, event_values(event))
        event.save(force_insert=True)
        AuditChainHead.objects.filter(pk=HEAD_PK).update(seq=event.seq, chain_hash=event.chain_hash)
    return event


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    kind: str  # "changed", "missing", "missing_tail", "head", "unchained"
    seq: int | None = None
    last_seq: int | None = None
    event_id: int | None = None
    at: datetime | None = None
    count: int = 0


@dataclass(frozen=True)
class Report:
    count: int
    head_seq: int
    head_hash: str
    broken: Break | None


def _chained() -> Iterator[Any]:
    from audit.models import AuditEvent

    return AuditEvent.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000)


def verify() -> Report:
    """Walk the whole chain, recomputing every hash; stop at the first break."""
    from audit.models import AuditChainHead, AuditEvent

    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    head_seq, head_hash = (head.seq, head.chain_hash) if head else (0, GENESIS)
    unchained = AuditEvent.objects.filter(seq__isnull=True)
    stray = unchained.order_by("id").values("id", "at").first()
    if stray:
        broken = Break("unchained", event_id=stray["id"], at=stray["at"], count=unchained.count())
        return Report(0, head_seq, head_hash, broken)
    previous, expected, count = GENESIS, 1, 0
    for event in _chained():
        if event.seq != expected:
            return Report(count, head_seq, head_hash, Break("missing", seq=expected, last_seq=event.seq - 1))
        if link(previous, event_values(event)) != event.chain_hash:
            return Report(count, head_seq, head_hash, Break("changed", seq=event.seq, event_id=event.pk, at=event.at))
        previous, expected, count = event.chain_hash, expected + 1, count + 1
    if head_seq > count:
        return Report(count, head_seq, head_hash, Break("missing_tail", seq=count + 1, last_seq=head_seq))
    if head_seq != count or head_hash != previous:
        return Report(count, head_seq, head_hash, Break("head", seq=count))
    return Report(count, head_seq, head_hash, None)
