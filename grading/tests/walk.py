"""What the URL walk (tests/leakwalk.py) needs from the grading area: a
graded station-B person with CANARY in the card reasons, history, a visit,
an assessment and a major event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


def _graded_b(w: Any) -> Any:
    def make() -> Any:
        from django.utils import timezone

        from grading.models import (
            Assessment,
            CardChange,
            Companion,
            Instrument,
            MajorEvent,
            PersonGrade,
            Visit,
        )
        from tests.leakwalk import CANARY, person_b

        person = person_b(w)
        now = timezone.now()
        PersonGrade.objects.create(
            person=person,
            unit=person.unit,
            card="red",
            card_rank=0,
            reasons=[CANARY],
            graded_at=now,
            first_graded_on=dt.date(2020, 1, 1),
            next_due=dt.date(2020, 1, 1),  # long overdue: escalated as far as it goes
        )
        CardChange.objects.create(
            person=person, unit=person.unit, to_card="red", changed_at=now, why=CANARY, reasons=[CANARY]
        )
        visit = Visit.objects.create(
            person=person,
            unit=person.unit,
            visited_on=dt.date(2020, 1, 1),
            visitor_name=CANARY,
            findings=CANARY,
            signer_name=CANARY,
        )
        _visit_files(visit)
        Companion.objects.create(visit=visit, kind="other", name=CANARY)
        version = Instrument.objects.get(code="child_risk").current_version()
        assert version is not None
        Assessment.objects.create(
            person=person,
            unit=person.unit,
            version=version,
            assessed_on=dt.date(2020, 1, 1),
            answers={},
            dimension_scores={},
            total=9,
            level=2,
            level_name=CANARY,
            notes=CANARY,
        )
        MajorEvent.objects.create(
            person=person, unit=person.unit, kind="hospital", occurred_at=now, due_at=now, note=CANARY
        )
        return person

    return w.once("graded_b", make)


def _visit_files(visit: Any) -> None:
    """A photo and a signature on station B's visit (files the walk fetches),
    under fixed names so that walks do not pile files up."""
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    from grading.models import VisitPhoto

    files = {}
    for name, mode, fmt in (
        ("grading/visit-photos/leakwalk-canary.jpg", "RGB", "JPEG"),
        ("grading/signatures/leakwalk-canary.png", "RGBA", "PNG"),
    ):
        if not default_storage.exists(name):
            buf = io.BytesIO()
            Image.new(mode, (8, 8), "red").save(buf, fmt)
            default_storage.save(name, ContentFile(buf.getvalue()))
        files[fmt] = name
    VisitPhoto.objects.create(visit=visit, file=files["JPEG"], size=10, width=8, height=8)
    visit.signature = files["PNG"]
    visit.save(update_fields=["signature"])


def _responsible_b(w: Any) -> Any:
    """Station B's responsible-worker rule naming CANARY staff."""

    def make() -> Any:
        from grading.models import CommunityResponsible, ResponsibleRule
        from tests.leakwalk import staff_b

        worker = staff_b(w)
        CommunityResponsible.objects.create(unit=w.tree.b1, worker=worker)
        # B1's worker may follow up B1 only, so B1 is where the rule names them.
        return ResponsibleRule.objects.create(unit=w.tree.station_b, mode="community")

    return w.once("responsible_b", make)


def kwargs() -> dict[str, Callable[[Any], Any]]:
    from grading.models import Instrument, Visit, VisitPhoto

    return {
        "instrument_id": lambda w: Instrument.objects.get(code="child_risk").pk,
        "visit_id": lambda w: Visit.objects.get(person=_graded_b(w)).pk,
        "visit_photo_id": lambda w: VisitPhoto.objects.get(visit__person=_graded_b(w)).pk,
        "station_id": lambda w: _responsible_b(w).unit_id,
    }


def populators() -> list[Callable[[Any], Any]]:
    return [_graded_b, _responsible_b]
