"""Excel in and out for the registries.

Import: a registry describes its columns (fixed Chinese headers: they are a
file format, the same whatever the UI language), checks every row and
reports each problem as (row, column, reason); nothing is written unless
every row is good, and then everything is written in one transaction.
The uploaded file waits in MEDIA_ROOT/imports under a random token that
only its uploader can use.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    header: str  # Chinese header in the file
    key: str
    required: bool = False
    note: str = ""  # shown on the instructions sheet


@dataclass
class RowError:
    row: int  # spreadsheet row number (header is row 1)
    column: str
    message: str


@dataclass
class Checked:
    """The result of checking a file: good rows (ready to save) and errors."""

    rows: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total: int = 0


class Registry:
    """One importable registry. Subclasses set `key`, `title`, `columns` and
    implement `check(actor, rows) -> Checked` and `save(actor, checked) -> int`."""

    key: str = ""
    title: str = ""
    columns: tuple[Column, ...] = ()
    perm: Any = None

    def check(self, actor: Any, rows: Iterator[tuple[int, dict[str, Any]]]) -> Checked:
        raise NotImplementedError

    def save(self, actor: Any, checked: Checked) -> int:
        raise NotImplementedError


_REGISTRIES: dict[str, Callable[[], Registry]] = {}


def register(key: str) -> Callable[[Callable[[], Registry]], Callable[[], Registry]]:
    def deco(factory: Callable[[], Registry]) -> Callable[[], Registry]:
        _REGISTRIES[key] = factory
        return factory

    return deco


def registry(key: str) -> Registry:
    _load_all()
    if key not in _REGISTRIES:
        raise Http404
    return _REGISTRIES[key]()


def registries() -> list[Registry]:
    _load_all()
    return [f() for f in _REGISTRIES.values()]


def _load_all() -> None:
    import people.importers  # noqa: F401
    import volunteers.importers  # noqa: F401


# ---------------------------------------------------------------- reading

_HEADER_CLEAN = re.compile(r"[\s*＊]+")


def read_rows(reg: Registry, source: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (row number, {key: raw value}) for every non-empty data row.
    Raises ValidationError when the header row lacks a required column."""
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception:
        raise ValidationError(
            _("This file is not an Excel workbook (.xlsx). Download the template and use it.")
        ) from None
    try:
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None)
        if header is None:
            raise ValidationError(_("The workbook is empty."))
        by_header = {c.header: c for c in reg.columns}
        positions: list[tuple[int, str]] = []
        for i, cell in enumerate(header):
            name = _HEADER_CLEAN.sub("", str(cell or ""))
            if name in by_header:
                positions.append((i, by_header[name].key))
        found = {k for _i, k in positions}
        missing = [c.header for c in reg.columns if c.required and c.key not in found]
        if missing:
            raise ValidationError(
                _("The first row must hold the template's column headers; missing: %(cols)s.")
                % {"cols": "、".join(missing)}
            )
        for n, values in enumerate(it, start=2):
            if not values or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            yield n, {key: (values[i] if i < len(values) else None) for i, key in positions}
    finally:
        wb.close()


# ---------------------------------------------------------------- templates and exports


def template_response(reg: Registry) -> HttpResponse:
    wb = Workbook()
    ws = wb.active
    ws.title = reg.title[:30]
    ws.append([f"{c.header}*" if c.required else c.header for c in reg.columns])
    for i, c in enumerate(reg.columns, start=1):
        ws.cell(row=1, column=i).number_format = "@"
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(12, len(c.header) * 3)
        # IDs and phones as text, so Excel does not turn them into numbers
        for r in range(2, 502):
            ws.cell(row=r, column=i).number_format = "@"
    notes = wb.create_sheet("说明")
    notes.append(["列", "必填", "说明"])
    for c in reg.columns:
        notes.append([c.header, "是" if c.required else "", c.note])
    notes.append([])
    notes.append(
        ["日期可写作 2024-01-05、2024/1/5、2024年1月5日，或使用 Excel 日期格式。全角数字和多余空格会自动规范。"]
    )
    return xlsx_response(wb, f"{reg.key}-template.xlsx")


def xlsx_response(wb: Workbook, filename: str) -> HttpResponse:
    buf = io.BytesIO()
    wb.save(buf)
    response = HttpResponse(buf.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def write_sheet(title: str, headers: list[str], rows: Iterator[list[Any]] | list[list[Any]]) -> Workbook:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:30])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    return wb


# ---------------------------------------------------------------- pending uploads


def _pending_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def pending_path(user: Any, reg_key: str, token: str) -> Path:
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", token or ""):
        raise Http404
    path = _pending_dir() / f"{user.pk}-{reg_key}-{token}.xlsx"
    if not path.exists():
        raise Http404
    return path


def keep_upload(user: Any, reg_key: str, upload: Any) -> str:
    token = secrets.token_urlsafe(24)
    path = _pending_dir() / f"{user.pk}-{reg_key}-{token}.xlsx"
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    _sweep()
    return token


def _sweep(max_age: dt.timedelta = dt.timedelta(days=1)) -> None:
    """Forget uploads that were never committed."""
    cutoff = dt.datetime.now().timestamp() - max_age.total_seconds()
    for p in _pending_dir().glob("*.xlsx"):
        try:
            if p.stat().st_mtime < cutoff:
                p.unlink()
        except OSError:
            pass


def export_persons(user: Any, qs: Any, *, unmasked: bool, query: str) -> HttpResponse:
    from audit.actions import Action
    from audit.services import audit_record
    from people import identity

    today = dt.date.today()
    qs = qs.prefetch_related("categories__category").select_related("household")
    count = 0

    def rows() -> Iterator[list[Any]]:
        nonlocal count
        for p in qs.iterator(chunk_size=2000):
            count += 1
            if unmasked:
                rid, phone = identity.decrypt(p.id_cipher), p.phone
                address, home = p.actual_address, p.household.address if p.household else ""
            else:
                rid, phone = identity.masked_id_of(p), identity.mask_phone(p.phone)
                address = identity.mask_address(p.actual_address)
                home = identity.mask_address(p.household.address) if p.household else ""
            cats = "、".join(c.category.name for c in p.categories.all() if c.active_on(today))
            yield [
                p.name,
                p.get_sex_display(),
                p.birth_date,
                p.age_on(today),
                p.unit.name,
                rid,
                phone,
                address,
                home,
                cats,
            ]

    headers = ["姓名", "性别", "出生日期", "年龄", "社区", "身份证号", "联系电话", "实际居住地址", "户", "当前类别"]
    wb = write_sheet("服务对象", headers, rows())
    response = xlsx_response(wb, f"residents-{today:%Y%m%d}.xlsx")
    audit_record(
        actor=user,
        action=Action.PERSON_EXPORT_UNMASKED if unmasked else Action.PERSON_EXPORT,
        unit=user.unit,
        changes={"rows": count, "unmasked": unmasked},
        note=query[:300],
    )
    return response
