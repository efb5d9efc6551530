"""Excel in and out for the registries: the framework. Each area registers
its own importers (`register(key)(factory)` in its contrib module, see
core/registry.py), so this module knows none of them.

Import (core/imports.py runs it in the background worker): a registry
describes its columns (fixed Chinese headers: they are a file format, the
same whatever the UI language); `check` reads every row once and returns the
rows ready to save (normalised, with their keys: JSON values, so that they
wait in the file storage between the check and the save), each problem as
(row, column, reason) and the rows already on file (skipped); `save` writes
the checked rows in one transaction without checking them again.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str  # Chinese header in the file
    key: str
    required: bool = False
    note: str = ""  # shown on the instructions sheet
    # other headers stations write for it (a ledger's 身份证号码, 所属社区…: core/ledger.py)
    synonyms: tuple[str, ...] = ()
    # how a cell is read (core/ledger.read_cell): id, birth, date, phone, number, text; "" = from the key
    kind: str = ""

    def __post_init__(self) -> None:
        if not self.kind:
            object.__setattr__(self, "kind", _kind_of(self.key))


def _kind_of(key: str) -> str:
    if key == "resident_id":
        return "id"
    if key == "birth_date":
        return "birth"
    if key.startswith("phone"):
        return "phone"
    if key == "date" or key.endswith(("_date", "_at", "_start", "_on")):
        return "date"
    return "text"


@dataclass
class RowError:
    row: int  # spreadsheet row number (header is row 1)
    column: str
    message: str


@dataclass
class Checked:
    """The result of checking a file: the good rows (ready to save: JSON
    values), the problems, and the rows skipped because they are on file
    already or repeat an earlier row of the file."""

    rows: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[RowError] = field(default_factory=list)
    total: int = 0


def identity_cells(reg: Registry, n: int, raw: dict[str, Any], today: dt.date) -> tuple[Any, Any, Any, list[RowError]]:
    """Row `n`'s resident ID, sex and birth date cells, read and reconciled by
    the one rule forms and the API use (core.identity.reconcile_identity).
    Returns (parsed ID or None, birth date, sex, errors in column order); a
    cell already reported unreadable gets no second message. A birth year and
    month (出生年月) is checked against the ID's; without an ID it stands for
    the first of that month."""
    from core import identity
    from core.ledger import Unreadable, YearMonth

    errors: dict[str, str] = {}
    raw = dict(raw)
    for key in ("resident_id", "birth_date"):
        if isinstance(raw.get(key), Unreadable):
            errors[key] = raw.pop(key).message
    month = raw.get("birth_date")
    if isinstance(month, YearMonth):
        raw["birth_date"] = month.first_day()
        try:
            born = identity.parse_resident_id(identity.normalise_code(raw.get("resident_id")), today=today).birth_date
        except ValidationError:
            born = None
        if born is not None and (born.year, born.month) == (month.year, month.month):
            raw["birth_date"] = None  # the ID gives the day
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
    for key in ("birth_date", "sex"):
        if "resident_id" in errors and key in errors and not raw.get(key):
            del errors[key]  # an unreadable ID leaves them unknown: one message, on the ID
    if not errors:
        return parsed, birth, sex, []
    header = {c.key: c.header for c in reg.columns}
    order = [c.key for c in reg.columns]
    found = [RowError(n, header[key], errors[key]) for key in sorted(errors, key=order.index)]
    return parsed, birth, sex, found


class Registry:
    """One importable registry. Subclasses set `key`, `title`, `columns` and
    implement `check(actor, rows) -> Checked` and `save(actor, rows, progress)
    -> (saved, skipped)`: `rows` are `Checked.rows` as the check left them,
    `progress(n)` is told the rows saved so far, and rows found on file since
    the check are skipped (counted in `skipped`), not saved. `namespace` is
    the URL namespace that routes its import pages (people/views_import.py:
    import_upload, import_template, import_job, import_mapping,
    import_refused; each name after `url_prefix`, for a namespace that
    routes several registries), `list_url` the name of the list it imports
    into."""

    key: str = ""
    title: str = ""
    columns: tuple[Column, ...] = ()
    perm: Any = None
    namespace: str = ""
    url_prefix: str = ""
    list_url: str = ""

    def url_name(self, page: str) -> str:
        """The URL name of one of its import pages: url_name("import_job") → "people:import_job"."""
        return f"{self.namespace}:{self.url_prefix}{page}"

    def check(self, actor: Any, rows: Iterator[tuple[int, dict[str, Any]]]) -> Checked:
        raise NotImplementedError

    def save(self, actor: Any, rows: list[Any], progress: Callable[[int], None]) -> tuple[int, int]:
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


def read_rows(
    reg: Registry, source: Any, sized: Callable[[int], None] | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (row number, {key: cell}) for every data row of a file whose
    headers the registry knows (core/ledger.py finds them below any title
    rows); `sized` is told the number of rows when the sheet states it.
    Raises ValidationError when the file is no workbook or lacks a required
    column. Imports go through core/imports.py, which also asks the uploader
    about headers nobody knows."""
    from core import ledger

    sheet = ledger.Sheet(source)
    try:
        if sized is not None and sheet.max_row:
            sized(max(0, sheet.max_row - 1))
        rows = sheet.rows()
        head = list(itertools.islice(rows, ledger.SEARCHED))
        layout = ledger.find_layout(reg, head, {})
        if layout.missing:
            raise ValidationError(_("Required columns are missing: %(cols)s.") % {"cols": "、".join(layout.missing)})
        yield from ledger.data_rows(reg, layout, itertools.chain(head, rows))
    finally:
        sheet.close()


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


# ---------------------------------------------------------------- background jobs (core/imports.py)


@db_task()
def import_check_task(job_id: int) -> None:
    from core.imports import job_check

    job_check(job_id)


@db_task()
def import_save_task(job_id: int) -> None:
    from core.imports import job_save

    job_save(job_id)
