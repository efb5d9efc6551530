"""Excel in and out for the registries: the framework. Each area registers
its own importers (`register(key)(factory)` in its contrib module, see
core/registry.py), so this module knows none of them.

Import: a registry describes its columns (fixed Chinese headers: they are a
file format, the same whatever the UI language), checks every row and
reports each problem as (row, column, reason); nothing is written unless
every row is good, and then everything is written in one transaction.
The uploaded file waits in the file storage (core/files.py) under imports/
with a random token that only its uploader can use.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def identity_cells(reg: Registry, n: int, raw: dict[str, Any], today: dt.date) -> tuple[Any, Any, Any, list[RowError]]:
    """Row `n`'s resident ID, sex and birth date cells, read and reconciled by
    the one rule forms and the API use (core.identity.reconcile_identity).
    Returns (parsed ID or None, birth date, sex, errors in column order); a
    cell already reported unreadable gets no second message."""
    from core import identity

    header = {c.key: c.header for c in reg.columns}
    errors: dict[str, str] = {}
    sex_raw = identity.normalise_code(raw.get("sex"))
    sex = identity.SEX_WORDS.get(sex_raw) if sex_raw else None
    if sex_raw and sex is None:
        errors["sex"] = _("Write the sex as 男 or 女.")
    birth = None
    if raw.get("birth_date") not in (None, ""):
        try:
            birth = identity.parse_date(raw["birth_date"])
        except ValidationError as exc:
            errors["birth_date"] = exc.messages[0]
    number = identity.normalise_code(raw.get("resident_id"))
    parsed = None
    try:
        parsed, birth, sex = identity.reconcile_identity(resident_id=number, birth_date=birth, sex=sex, today=today)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, messages[0])
        if number and "resident_id" not in errors:  # a valid ID the other cells contradict
            parsed = identity.parse_resident_id(number, today=today)
    order = [c.key for c in reg.columns]
    found = [RowError(n, header[key], errors[key]) for key in sorted(errors, key=order.index)]
    return parsed, birth, sex, found


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
    if key not in _REGISTRIES:
        raise Http404
    return _REGISTRIES[key]()


def registries() -> list[Registry]:
    return [f() for f in _REGISTRIES.values()]


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


# ---------------------------------------------------------------- pending uploads


_PENDING = "imports"


def pending_name(user: Any, reg_key: str, token: str) -> str:
    """The stored name of an upload waiting for its commit; 404 for a token
    that is malformed, another user's, or already used."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{16,64}", token or ""):
        raise Http404
    name = f"{_PENDING}/{user.pk}-{reg_key}-{token}.xlsx"
    if not default_storage.exists(name):
        raise Http404
    return name


def keep_upload(user: Any, reg_key: str, upload: Any) -> str:
    token = secrets.token_urlsafe(24)
    default_storage.save(f"{_PENDING}/{user.pk}-{reg_key}-{token}.xlsx", upload)
    _sweep()
    return token


def read_pending(reg: Registry, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with default_storage.open(name, "rb") as fh:
        source = io.BytesIO(fh.read())  # the workbook reader seeks; a remote file may not
    return read_rows(reg, source)


def drop_pending(name: str) -> None:
    default_storage.delete(name)


def _sweep(max_age: dt.timedelta = dt.timedelta(days=1)) -> None:
    """Forget uploads that were never committed."""
    cutoff = timezone.now() - max_age
    try:
        _dirs, files = default_storage.listdir(_PENDING)
    except FileNotFoundError:
        return
    for filename in files:
        name = f"{_PENDING}/{filename}"
        try:
            if filename.endswith(".xlsx") and default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
        except OSError:  # another process swept it first
            pass
