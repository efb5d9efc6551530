"""Writes of the archive: each one transaction with its audit event
(archive_* actions). Files are checked by core.uploads before anything is
stored, and a file stored for a save that fails is removed again."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.extract import text_of
from archive.models import Category, Document, Evidence, Version, retention_end
from archive.storage import ARCHIVE_FILE
from audit.actions import Action
from audit.services import audit_record, diff, snapshot
from core import uploads
from core.access import Perm, can, require, require_unit_in_scope, unit_in_scope
from core.concurrency import lock
from core.roles import Role

FIELDS = ("unit", "category", "title", "year", "retention_years", "description")
# Beside whoever filed it, these roles delete or retire any document in their scope.
KEEPERS = frozenset({Role.STATION_LEAD, Role.DISTRICT_ADMIN})


def may_edit(user: Any, document: Document) -> bool:
    return can(user, Perm.RECORD_EDIT) and unit_in_scope(user, document.unit)


def may_remove(user: Any, document: Document) -> bool:
    """Deleting or retiring: the person who filed it, the station lead, the district administrator."""
    return may_edit(user, document) and (document.uploaded_by_id == user.pk or user.role in KEEPERS)


def _check(fields: dict[str, Any]) -> None:
    errors = {}
    year = fields.get("year")
    this_year = timezone.localdate().year
    if year is None or not 1949 <= int(year) <= this_year + 1:
        errors["year"] = _("Enter the document's year (1949 to %(year)s).") % {"year": this_year + 1}
    years = fields.get("retention_years")
    if years is not None and int(years) <= 0:
        errors["retention_years"] = _("Keep it for at least one year, or permanently.")
    if not (fields.get("title") or "").strip():
        errors["title"] = _("Give the document a title.")
    category = fields.get("category")
    if category is None or not category.active:
        errors["category"] = _("Choose a category in use.")
    if errors:
        raise ValidationError(errors)


def _store(document: Document | Version, upload: Any) -> uploads.Checked:
    checked = uploads.check(upload, ARCHIVE_FILE, field="file")
    document.file_name, document.file_type, document.file_size = checked.name, checked.content_type, checked.size
    document.file.save(checked.name, upload, save=False)
    return checked


@transaction.atomic
def document_create(
    *,
    actor: Any,
    unit: Any,
    category: Category,
    title: str,
    year: int,
    retention_years: int | None,
    description: str = "",
    file: Any,
) -> Document:
    fields = {
        "unit": unit,
        "category": category,
        "title": title.strip(),
        "year": year,
        "retention_years": retention_years,
        "description": description,
    }
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, fields["unit"])
    _check(fields)
    if not file:
        raise ValidationError({"file": _("Choose the file to file.")})
    document = Document(**fields, uploaded_by=actor)
    document.retention_ends = retention_end(document.year, document.retention_years)
    checked = _store(document, file)
    try:
        document.text = text_of(file, checked.ext)
        document.full_clean(exclude=["file"])
        document.save()
        changes = diff({}, snapshot(document, [*FIELDS, "file_name"]))
        audit_record(actor=actor, action=Action.ARCHIVE_DOCUMENT_CREATE, target=document, changes=changes)
    except Exception:
        document.file.delete(save=False)  # nothing stored for a save that failed
        raise
    return document


@transaction.atomic
def document_update(*, actor: Any, document: Document, **fields: Any) -> Document:
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, document.unit)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"not a document field: {sorted(unknown)}")
    if "unit" in fields:
        require_unit_in_scope(actor, fields["unit"])
        if document.evidence.exists() and fields["unit"] != document.unit:
            raise ValidationError(
                {"unit": _("This document is evidence for a self-evaluation: it stays with its unit.")}
            )
    before = snapshot(document, FIELDS)
    merged = {**{f: getattr(document, f) for f in FIELDS}, **fields}
    if isinstance(merged.get("title"), str):
        merged["title"] = merged["title"].strip()
    _check(merged)
    for name, value in merged.items():
        setattr(document, name, value)
    document.retention_ends = retention_end(document.year, document.retention_years)
    changes = diff(before, snapshot(document, FIELDS))
    if changes:
        document.updated_by, document.updated_at = actor, timezone.now()
        document.full_clean(exclude=["file"])
        document.save()
        audit_record(actor=actor, action=Action.ARCHIVE_DOCUMENT_UPDATE, target=document, changes=changes)
    return document


@transaction.atomic
def document_replace(*, actor: Any, document: Document, file: Any, note: str = "") -> Document:
    """A new file for the document; the one it had is kept as an earlier version."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, document.unit)
    document = lock(document)
    if document.retired_at is not None:
        raise ValidationError({"file": _("This document is retired.")})
    if not file:
        raise ValidationError({"file": _("Choose the new file.")})
    Version.objects.create(
        document=document,
        file=document.file.name,
        file_name=document.file_name,
        file_type=document.file_type,
        file_size=document.file_size,
        uploaded_by_id=document.uploaded_by_id,
        uploaded_at=document.updated_at or document.uploaded_at,
        note=note.strip()[:200],
    )
    before = document.file_name
    checked = _store(document, file)
    try:
        document.text = text_of(file, checked.ext)
        document.updated_by, document.updated_at = actor, timezone.now()
        document.save()
        audit_record(
            actor=actor,
            action=Action.ARCHIVE_DOCUMENT_REPLACE,
            target=document,
            changes={"file_name": [before, checked.name]},
            note=note,
        )
    except Exception:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def document_retire(*, actor: Any, document: Document, reason: str) -> Document:
    """Taken out of use (superseded, or reviewed after its retention): kept, marked retired."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, document.unit)
    if not may_remove(actor, document):
        raise PermissionDenied
    document = lock(document)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the document is retired.")})
    if document.retired_at is None:
        document.retired_at, document.retired_reason = timezone.now(), reason.strip()[:200]
        document.save(update_fields=["retired_at", "retired_reason"])
        audit_record(
            actor=actor,
            action=Action.ARCHIVE_DOCUMENT_RETIRE,
            target=document,
            changes={"retired_reason": ["", document.retired_reason]},
        )
    return document


@transaction.atomic
def document_delete(*, actor: Any, document: Document) -> None:
    """Only a document nobody relies on: one used as evidence is retired instead."""
    require(actor, Perm.RECORD_EDIT)
    require_unit_in_scope(actor, document.unit)
    if not may_remove(actor, document):
        raise PermissionDenied
    document = lock(document)
    if document.evidence.exists():
        raise ValidationError(_("This document is evidence for a self-evaluation: retire or replace it instead."))
    names = [document.file.name, *document.versions.values_list("file", flat=True)]
    storage = document.file.storage
    audit_record(
        actor=actor,
        action=Action.ARCHIVE_DOCUMENT_DELETE,
        target=document,
        changes=diff(snapshot(document, [*FIELDS, "file_name"]), {}),
    )
    document.delete()

    def remove_files() -> None:  # once the row is surely gone
        for name in names:
            if name:
                storage.delete(name)

    transaction.on_commit(remove_files)


@transaction.atomic
def document_downloaded(*, actor: Any, document: Document, name: str) -> None:
    require(actor, Perm.VIEW)
    audit_record(actor=actor, action=Action.ARCHIVE_DOCUMENT_DOWNLOAD, target=document, note=name)


def _evaluation_unit_covers(evaluation: Any, document: Document) -> bool:
    """A document may back the evaluation of its own unit or of a unit above
    it (a community room's paper backs its station's evaluation), never of
    another station."""
    return bool(evaluation.unit.contains(document.unit))


@transaction.atomic
def evidence_link(*, actor: Any, score: Any, document: Document) -> Evidence:
    require(actor, Perm.RECORD_EDIT)
    evaluation = score.evaluation
    require_unit_in_scope(actor, evaluation.unit)
    require_unit_in_scope(actor, document.unit)
    if not _evaluation_unit_covers(evaluation, document):
        raise ValidationError({"document": _("Choose a document of this station.")})
    if document.retired_at is not None:
        raise ValidationError({"document": _("This document is retired.")})
    evidence, made = Evidence.objects.get_or_create(score=score, document=document, defaults={"linked_by": actor})
    if made:
        audit_record(
            actor=actor,
            action=Action.ARCHIVE_EVIDENCE_LINK,
            target=document,
            unit=evaluation.unit,
            changes={"evidence": [None, f"{evaluation} · {score.item.name}"]},
        )
    return evidence


@transaction.atomic
def evidence_unlink(*, actor: Any, evidence: Evidence) -> None:
    require(actor, Perm.RECORD_EDIT)
    evaluation = evidence.score.evaluation
    require_unit_in_scope(actor, evaluation.unit)
    audit_record(
        actor=actor,
        action=Action.ARCHIVE_EVIDENCE_UNLINK,
        target=evidence.document,
        unit=evaluation.unit,
        changes={"evidence": [f"{evaluation} · {evidence.score.item.name}", None]},
    )
    evidence.delete()
