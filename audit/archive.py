"""The audit log as a verifiable archive (the 等保 profile: events are kept
at least AUDIT_RETENTION_DAYS and can be archived; the application deletes
none). One JSON object per line:

- a header: the cut-off date, the retention in force and the hash the first
  archived event links to (the genesis hash: an archive always starts at
  event #1, so it proves the whole chain up to the cut-off);
- every event before the cut-off in chain order, with its stored fields,
  its `seq` and its `chain_hash`;
- a trailer: the count, the last link, the SHA-256 of every line before it
  and an HMAC of that digest under the server's SECRET_KEY.

`verify_archive` (and `manage.py verify_audit --archive FILE`) recomputes
every link: anyone can check the chain; the HMAC shows the archive came from
this server unchanged."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from audit import chain

FORMAT = "linli-audit-archive/1"
_SALT = "linli.audit.archive"


def cutoff(before: date) -> datetime:
    """Midnight at the start of `before`, in the district's time zone."""
    return timezone.make_aware(datetime.combine(before, time.min))


def _dump(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _signature(digest: str) -> str:
    return salted_hmac(_SALT, digest, algorithm="sha256").hexdigest()


def archive_lines(before: date) -> Iterator[str]:
    """The archive of every event written before `before`, line by line
    (streamed: the log may hold millions of events)."""
    from audit.models import AuditEvent

    digest = hashlib.sha256()

    def emit(obj: dict[str, Any]) -> str:
        line = _dump(obj) + "\n"
        digest.update(line.encode())
        return line

    yield emit(
        {
            "format": FORMAT,
            "before": before.isoformat(),
            "created_at": timezone.now().isoformat(),
            "retention_days": settings.AUDIT_RETENTION_DAYS,
            "previous_hash": chain.GENESIS,
        }
    )
    events = AuditEvent.objects.filter(seq__isnull=False, at__lt=cutoff(before)).order_by("seq")
    count, last_seq, last_hash = 0, 0, chain.GENESIS
    for event in events.iterator(chunk_size=2000):
        values = {f: chain._text(f, v) for f, v in chain.event_values(event).items()}
        yield emit({"event": values, "chain_hash": event.chain_hash})
        count, last_seq, last_hash = count + 1, event.seq or 0, event.chain_hash
    final = digest.hexdigest()
    yield (
        _dump(
            {"end": True, "count": count, "last_seq": last_seq, "last_hash": last_hash, "sha256": final}
            | {"signature": _signature(final)}
        )
        + "\n"
    )


@dataclass(frozen=True)
class ArchiveCheck:
    count: int
    last_seq: int
    last_hash: str
    problem: str = ""  # empty: the archive holds


def verify_archive(lines: Iterable[str]) -> ArchiveCheck:
    """Recompute every link and the trailer's digest and signature."""
    digest = hashlib.sha256()
    previous, expected, count, trailer = chain.GENESIS, 1, 0, None
    for number, line in enumerate(lines, start=1):
        if trailer is not None:
            return ArchiveCheck(
                count, expected - 1, previous, _("Line %(n)s: content after the trailer.") % {"n": number}
            )
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            return ArchiveCheck(count, expected - 1, previous, _("Line %(n)s is not JSON.") % {"n": number})
        if number == 1:
            if obj.get("format") != FORMAT:
                return ArchiveCheck(0, 0, previous, _("This is not a Linli audit archive."))
            previous = obj.get("previous_hash", "")
        elif obj.get("end"):
            trailer = obj
            continue
        else:
            values = dict(obj.get("event", {}))
            if values.get("seq") != expected:
                return ArchiveCheck(
                    count,
                    expected - 1,
                    previous,
                    _("Audit event #%(seq)s is missing from the archive.") % {"seq": expected},
                )
            values["at"] = datetime.fromisoformat(values["at"])
            if chain.link(previous, values) != obj.get("chain_hash"):
                return ArchiveCheck(
                    count,
                    expected - 1,
                    previous,
                    _("Audit event #%(seq)s was changed after it was archived.") % {"seq": expected},
                )
            previous, expected, count = obj["chain_hash"], expected + 1, count + 1
        digest.update(line.encode())
    if trailer is None:
        return ArchiveCheck(count, expected - 1, previous, _("The archive was cut short: its last line is missing."))
    final = digest.hexdigest()
    if trailer.get("count") != count or trailer.get("last_hash") != previous or trailer.get("sha256") != final:
        return ArchiveCheck(count, expected - 1, previous, _("The archive's last line does not match its events."))
    if not hmac.compare_digest(str(trailer.get("signature", "")), _signature(final)):
        return ArchiveCheck(
            count, expected - 1, previous, _("The archive's signature does not match this server's key.")
        )
    return ArchiveCheck(count, expected - 1, previous)


def archive_name(before: date) -> str:
    return f"linli-audit-before-{before.isoformat()}.jsonl"
