"""URL-walk entries for the archive (see tests/leakwalk.py): a document of
station B with the CANARY in its title, text and file, an earlier version and
its use as evidence for B's self-evaluation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from tests.leakwalk import CANARY, Walk


def _archive(w: Walk) -> dict[str, Any]:
    from django.core.files.base import ContentFile

    from archive.models import Category, Document, Evidence, Version
    from workrecords import models as m

    def make() -> dict[str, Any]:
        b = w.tree.station_b
        document = Document(
            unit=b,
            category=Category.objects.first(),
            title=CANARY,
            year=2026,
            retention_years=10,
            retention_ends=date(2036, 12, 31),
            description=CANARY,
            text=CANARY,
            file_name=f"{CANARY}.pdf",
            file_type="application/pdf",
        )
        document.file.save("walk.pdf", ContentFile(b"%PDF-1.4 " + CANARY.encode()), save=False)
        document.save()
        version = Version(
            document=document,
            file_name=f"{CANARY}-old.pdf",
            file_type="application/pdf",
            uploaded_at=document.uploaded_at,
        )
        version.file.save("old.pdf", ContentFile(b"%PDF-1.4 old"), save=False)
        version.save()
        sheet = m.ScoringSheet.objects.create(name=f"{CANARY} archive walk")
        item = m.ScoringItem.objects.create(sheet=sheet, module="m", name=CANARY, max_points=10)
        evaluation = m.SelfEvaluation.objects.create(unit=b, date=date(2026, 3, 2), sheet=sheet, period="walk", total=1)
        score = m.SelfEvaluationScore.objects.create(evaluation=evaluation, item=item, points=1)
        evidence = Evidence.objects.create(document=document, score=score)
        return {"archive_document_id": document, "archive_version_id": version, "archive_evidence_id": evidence}

    return w.once("archive", make)


def kwargs() -> dict[str, Callable[[Walk], Any]]:
    def pk_of(name: str) -> Callable[[Walk], Any]:
        return lambda w: _archive(w)[name].pk

    return {name: pk_of(name) for name in ("archive_document_id", "archive_version_id", "archive_evidence_id")}


def populators() -> list[Callable[[Walk], Any]]:
    return [_archive]
