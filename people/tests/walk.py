"""URL-walk entries for imports (see tests/leakwalk.py): a checked import of
station B's lead, its problems carrying the CANARY. Only its uploader sees it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.leakwalk import CANARY, Walk


def _refused_rows() -> str:
    """The walk's import's refused rows, stored as an import stores them (encrypted)."""
    import base64
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from openpyxl import Workbook

    from core import identity

    wb = Workbook()
    wb.active.append(["姓名", "错误原因"])
    wb.active.append([CANARY, CANARY])
    buf = io.BytesIO()
    wb.save(buf)
    sealed = identity.encrypt(base64.b64encode(buf.getvalue()).decode())
    name = f"imports/{CANARY}.refused"
    default_storage.delete(name)
    return default_storage.save(name, ContentFile(sealed.encode()))


def _import_b(w: Walk) -> Any:
    from core.models import ImportJob, ImportStatus

    def make() -> Any:
        from core.roles import Role
        from tests.factories import UserFactory

        # The walk's own lead of B, or (a walk planting B for others) one made here.
        lead_b: Any = next((u for u in w.insiders if u.unit_id == w.tree.station_b.pk), None) or UserFactory(
            unit=w.tree.station_b, role=Role.STATION_LEAD
        )
        return ImportJob.objects.create(
            registry="people",
            unit=w.tree.station_b,
            requested_by=lead_b,
            filename=f"{CANARY}.xlsx",
            status=ImportStatus.CHECKED,
            total=2,
            good=1,
            bad_rows=1,
            error_count=1,
            errors=[[3, "姓名", CANARY]],
            header_row=1,
            headers=[[0, "姓名"], [1, CANARY]],
            positions={"0": "name"},
            upload=f"imports/{CANARY}.xlsx",  # named only: the walk reads its pages, never the file
            refused=_refused_rows(),
        )

    return w.once("import_b", make)


def _duplicate_b(w: Walk) -> Any:
    """A second file of station B's resident (same name and birth date): the
    duplicate finder's pair, the merge page's other file."""

    def make() -> Any:
        from people.tests.factories import PersonFactory
        from tests.leakwalk import person_b

        first = person_b(w)
        return PersonFactory(unit=w.tree.b1, name=first.name, birth_date=first.birth_date, notes=CANARY)

    return w.once("duplicate_b", make)


def kwargs() -> dict[str, Callable[[Walk], Any]]:
    return {"import_id": lambda w: _import_b(w).pk, "other_person_id": lambda w: _duplicate_b(w).pk}


def populators() -> list[Callable[[Walk], Any]]:
    return [_import_b, _duplicate_b]
