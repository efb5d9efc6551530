"""Reading a ledger as a station keeps it (core/imports.py drives it).

A station's sheet is rarely the template: title rows and a date/unit line
above the headers, often merged across the columns; its own header names
(身份证号码, 所属社区, 出生年月…); a community cell merged over the rows of
its block; blank rows between blocks; IDs and phones typed as numbers;
出生年月 as 1950.03 or 1950年3月. This module finds the header row, maps each
header to a registry column (the column's own header, its synonyms, what
the station chose before, the mapping the uploader chose for this file),
fills merged cells, and hands the importer cells it can read. What cannot
be read (an ID whose digits Excel dropped) reaches the importer as an
`Unreadable` cell, which it reports on that row.

The refused rows go back to the uploader as a workbook with the file's own
headers and a reason column (`REASON`), which the next import ignores.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook, SheetTypeEnum

if TYPE_CHECKING:
    from core.excel import Column, Registry

REASON = "错误原因"  # the refused rows' reason column: a file format, like the template's headers
# Headers every importer leaves out without asking: serial numbers, signatures, the reason column.
IGNORED = frozenset({"序号", "编号", "序", "NO", "NO.", "行号", "签名", "本人签字", REASON})
SEARCHED = 30  # rows searched for the header row
# Headers stations' ledgers write for the columns many registries have (each importer adds its own).
NAME = ("名字", "居民姓名", "服务对象姓名", "对象姓名", "户主姓名")
RESIDENT_ID = ("身份证号码", "身份证", "公民身份号码", "公民身份证号码", "身份号码", "证件号码", "身份证件号码")
BIRTH = ("出生年月", "出生年月日", "生日", "出生时间")
PHONE = ("电话", "手机", "手机号", "手机号码", "联系方式", "本人电话", "电话号码")
_CLEAN = re.compile(r"[\s*＊:：]+")
_NOTE = re.compile(r"[(（][^)）]*[)）]$")


def clean_header(value: Any) -> str:
    """A header as matched: NFKC, no spaces, stars or colons, upper case."""
    if value is None:
        return ""
    return _CLEAN.sub("", unicodedata.normalize("NFKC", str(value))).upper()


@dataclass(frozen=True)
class Unreadable:
    """A cell the reader could not make sense of, and why (in the user's language)."""

    message: str

    def __str__(self) -> str:
        return ""


@dataclass(frozen=True)
class YearMonth:
    """出生年月: a year and a month, no day."""

    year: int
    month: int

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月"


@dataclass
class Layout:
    """Where the headers are and what each column holds."""

    header_row: int  # the sheet's row number
    headers: list[tuple[int, str]]  # (column index, header as the file writes it), every non-empty header
    positions: dict[int, str] = field(default_factory=dict)  # column index → registry key
    unknown: list[tuple[int, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # required columns not found (their template headers)

    @property
    def needs_mapping(self) -> bool:
        return bool(self.unknown or self.missing)

    def header_of(self, key: str) -> str:
        """The file's header for a registry key, with its column letter: 所属社区（F列）."""
        for i, k in self.positions.items():
            if k == key:
                return column_name(i, dict(self.headers).get(i, ""))
        return ""


def column_name(index: int, header: str) -> str:
    return _("%(header)s (column %(letter)s)") % {"header": header, "letter": get_column_letter(index + 1)}


def known_headers(reg: Registry) -> dict[str, str]:
    """Every header the registry knows by itself → its key ("" = left out)."""
    known = {h: "" for h in IGNORED}
    for c in reg.columns:
        for name in (c.header, *c.synonyms):
            known[clean_header(name)] = c.key
    return known


def match_header(known: dict[str, str], header: Any) -> str | None:
    name = clean_header(header)
    if not name:
        return None
    if name in known:
        return known[name]
    bare = _NOTE.sub("", name)  # 联系电话(手机) → 联系电话
    return known.get(bare) if bare != name else None


class Sheet:
    """The first worksheet of an upload, read once (python-calamine: the
    values, several times faster than openpyxl, which writes the workbooks),
    row by row, with its merged ranges filled: each cell of a range holds the
    value of its top-left cell. Cells come as openpyxl gives them, so that
    the ledger's rules read both alike: an empty cell is None, a whole number
    an int (a float past 2**53 stays one: its digits are lost already), rows
    start at column A."""

    def __init__(self, source: Any) -> None:
        try:
            self.wb = CalamineWorkbook.from_filelike(source)
            first = next(i for i, m in enumerate(self.wb.sheets_metadata) if m.typ == SheetTypeEnum.WorkSheet)
            self.ws = self.wb.get_sheet_by_index(first)
        except Exception:
            raise ValidationError(
                _("This file is not an Excel workbook (.xlsx). Download the template and use it.")
            ) from None
        # ((first row, first col), (last row, last col)), 0-based
        self.merges = [(c0 + 1, r0 + 1, c1 + 1, r1 + 1) for (r0, c0), (r1, c1) in self.ws.merged_cell_ranges or ()]

    def close(self) -> None:
        self.wb.close()

    @property
    def max_row(self) -> int:
        end = self.ws.end
        return end[0] + 1 if end else 0

    def rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(row number, values) for every row, merged cells filled."""
        starts: dict[int, list[tuple[int, int, int, int]]] = {}
        for min_col, min_row, max_col, max_row in self.merges:
            starts.setdefault(min_row, []).append((min_col, min_row, max_col, max_row))
        active: list[tuple[int, int, int, Any]] = []  # (first col, last col, last row, value), 0-based columns
        left = (None,) * (self.ws.start[1] if self.ws.start else 0)  # calamine starts at the first used column
        for n, raw in enumerate(self.ws.iter_rows(), start=1):
            values = (*left, *[_CELL.get(v.__class__, _same)(v) for v in raw])
            if not starts and not active:
                yield n, values
                continue
            cells = list(values)
            for min_col, _r, max_col, max_row in starts.pop(n, ()):
                value = cells[min_col - 1] if min_col - 1 < len(cells) else None
                active.append((min_col - 1, max_col - 1, max_row, value))
            for first, last, _end, value in active:
                if len(cells) <= last:
                    cells.extend([None] * (last + 1 - len(cells)))
                for i in range(first, last + 1):
                    cells[i] = value
            active = [a for a in active if a[2] > n]
            yield n, tuple(cells)


def _same(value: Any) -> Any:
    return value


def _text(value: str) -> str | None:
    return value or None


def _number(value: float) -> float | int:
    return int(value) if value.is_integer() and -_EXACT < value < _EXACT else value


_EXACT = 2**53  # floats below it hold whole numbers exactly
_CELL: dict[type, Any] = {str: _text, float: _number}


def find_layout(reg: Registry, rows: list[tuple[int, tuple[Any, ...]]], remembered: dict[str, str]) -> Layout:
    """The header row: the first of the rows searched where at least two
    cells, and at least half of the non-empty ones, are headers the registry
    or the station knows. Raises ValidationError when there is none."""
    known = known_headers(reg) | {clean_header(h): k for h, k in remembered.items()}
    for n, values in rows:
        named = [(i, str(v).strip()) for i, v in enumerate(values) if v is not None and str(v).strip()]
        hits = sum(1 for _i, v in named if match_header(known, v) is not None)
        if hits >= 2 and hits * 2 >= len(named):
            return _layout(reg, n, named, known)
    raise ValidationError(
        _(
            "No header row found in the first %(n)s rows: a row naming the columns, such as %(examples)s, "
            "must come before the data."
        )
        % {"n": SEARCHED, "examples": "、".join(c.header for c in reg.columns if c.required)}
    )


def _layout(reg: Registry, n: int, named: list[tuple[int, str]], known: dict[str, str]) -> Layout:
    layout = Layout(header_row=n, headers=named)
    taken: set[str] = set()
    for i, header in named:
        key = match_header(known, header)
        if key is None:
            layout.unknown.append((i, header))
        elif key and key not in taken:  # a second column of the same meaning is left out
            layout.positions[i] = key
            taken.add(key)
    layout.missing = [c.header for c in reg.columns if c.required and c.key not in taken]
    return layout


def apply_mapping(reg: Registry, layout: Layout, mapping: dict[str, str]) -> Layout:
    """The layout with the uploader's choices for this file: {column index: key or ""}."""
    keys = {c.key for c in reg.columns}
    positions = {i: k for i, k in layout.positions.items() if str(i) not in mapping}
    for i, _header in layout.headers:
        key = mapping.get(str(i))
        if key and key in keys and key not in positions.values():
            positions[i] = key
    chosen = Layout(header_row=layout.header_row, headers=layout.headers, positions=positions)
    chosen.unknown = [(i, h) for i, h in layout.unknown if str(i) not in mapping]
    chosen.missing = [c.header for c in reg.columns if c.required and c.key not in positions.values()]
    return chosen


# ---------------------------------------------------------------- cells


def read_cell(column: Column, value: Any) -> Any:
    """A cell as the importer reads it, by the column's kind."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    kind = column.kind
    if kind == "id":
        return _id_cell(value)
    if kind == "birth":
        return _birth_cell(value)
    if kind == "date" and isinstance(value, dt.datetime):
        return value.date()
    if kind in ("phone", "text", "id") and isinstance(value, float) and value.is_integer():
        return str(int(value))
    if kind in ("phone", "text") and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _id_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        digits = f"{value:.0f}"
        if value.is_integer() and len(digits) <= 15:
            return digits
        return Unreadable(
            _(
                "The ID number was stored as a number in Excel, which keeps only 15 digits (%(shown)s): "
                "format the column as text and type the ID again."
            )
            % {"shown": f"{value:.14E}"}
        )
    text = str(value).strip().lstrip("'")
    return text


_MONTH_TEXT = re.compile(r"^(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*月?$")


def _birth_cell(value: Any) -> Any:
    """出生年月: a date, or 1950.03 / 1950年3月 / 1950-3 / 195003 as a year and a month."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float) and 1900 <= value < 2100 and not value.is_integer():
        year, month = f"{value:.2f}".split(".")  # 1950.1 is October: Excel dropped the 0 of 1950.10
        return _month(int(year), int(month), value)
    if isinstance(value, int) and 190001 <= value <= 210012:
        return _month(value // 100, value % 100, value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    m = _MONTH_TEXT.match(text)
    if m:
        return _month(int(m[1]), int(m[2]), value)
    if re.fullmatch(r"\d{6}", text):
        return _month(int(text[:4]), int(text[4:]), value)
    return value


def _month(year: int, month: int, value: Any) -> Any:
    if 1 <= month <= 12:
        return YearMonth(year, month)
    return Unreadable(_("“%(value)s” is not a year and month (write it like 1950.03).") % {"value": value})


def data_rows(
    reg: Registry, layout: Layout, rows: Iterator[tuple[int, tuple[Any, ...]]]
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {key: cell}) for every row below the header with a value
    in a column the import reads. Skipped: blank rows, rows with only a
    serial number, and signature lines below the table (制表人：… 审核人：…:
    every cell a label with a colon, no required column filled)."""
    by_key = {c.key: c for c in reg.columns}
    positions = sorted(layout.positions.items())
    required = [c.key for c in reg.columns if c.required]
    for n, values in rows:
        if n <= layout.header_row:
            continue
        raw: dict[str, Any] = {}
        for i, key in positions:
            raw[key] = read_cell(by_key[key], values[i]) if i < len(values) else None
        if all(v is None for v in raw.values()):
            continue
        if all(raw.get(k) is None for k in required) and _signatures(values):
            continue
        yield n, raw


_LABEL = re.compile(r"^[^:：]{1,8}[:：]")


def _signatures(values: tuple[Any, ...]) -> bool:
    filled = [v for v in values if v is not None and str(v).strip()]
    return bool(filled) and all(isinstance(v, str) and _LABEL.match(v.strip()) for v in filled)


# ---------------------------------------------------------------- refused rows


def refused_workbook(
    layout: Layout, rows: Iterator[tuple[int, tuple[Any, ...]]], reasons: dict[int, str], text_columns: set[int]
) -> bytes:
    """The refused rows under the file's own headers, with a reason column,
    ready to fix and import again. ID and phone columns are written as text."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Refused rows")[:30])
    width = max((i for i, _h in layout.headers), default=0) + 1
    head: list[Any] = [None] * width
    for i, h in layout.headers:
        head[i] = h
    ws.append([*head, REASON])
    for n, values in rows:
        if n not in reasons:
            continue
        cells = list(values[:width]) + [None] * max(0, width - len(values))
        for i in text_columns:
            v = cells[i] if i < len(cells) else None
            if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
                cells[i] = str(int(v))
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                cells[i] = str(v)
        ws.append([*cells, reasons[n]])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
