"""Cell-level helpers of the ledger: text that stays text, styles, column widths, header lookup,
reading numbers back, and the canonical 报告期 / 单位 of a row."""
from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import ColumnDimension

from core import resources
from core.office.ledger.schema import DEFAULT_CAP, FORMULA_LEAD, MAX_CELL_TEXT, UNKNOWN_TYPE, UNKNOWN_UNIT, WIDTH_CAPS
from core.text.periods import format_period, parse_period


def canon_period(text: Any) -> str:
    text = plain(text).strip()
    parsed = parse_period(text)
    return format_period(*parsed) if parsed else text


def canon_unit(text: Any) -> str:
    text = plain(text).strip()
    return text or UNKNOWN_UNIT


def canon_type(text: Any) -> str:
    """报告类型 as a key: the Chinese name; "" in rows of ledgers written before the column existed."""
    return plain(text).strip()


def type_name(report_type: str | None) -> str:
    """The 报告类型 written to the ledger for a report type id (zhuti → 主体责任落实情况报告); a
    Chinese name is kept as it is."""
    text = (report_type or "").strip()
    if not text or text == "unknown":
        return UNKNOWN_TYPE
    return resources.report_types().get(text, text)


def plain(value: Any) -> str:
    """Any cell value as plain text: numbers, dates and rich text (LibreOffice and Excel save cells
    mixing Chinese and Latin text as runs of formatted text) alike."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def safe_text(value: Any) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", plain(value))
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


def looks_like_formula(text: str) -> bool:
    """Text that openpyxl, or Excel when the user edits the cell, would take for a formula."""
    return text.startswith(FORMULA_LEAD)


def set_text(cell, value: Any) -> None:
    """Write text that stays text: never a formula, also when Excel later edits the cell."""
    text = safe_text(value)
    if not text:
        cell.value = None
        return
    cell.value = text
    cell.data_type = "s"  # openpyxl would have made "=…" a formula
    if looks_like_formula(text):
        cell.quotePrefix = True  # Excel keeps it text when the user edits the cell


def set_style(cell, *, number_format: str | None = None, fill=None, font=None, alignment=None,
              border=None) -> None:
    """Set the styles given, leave the others as they are."""
    for name, value in (("number_format", number_format), ("fill", fill), ("font", font),
                        ("alignment", alignment), ("border", border)):
        if value is not None:
            setattr(cell, name, value)


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _split_column_groups(ws) -> None:
    """Excel stores neighbouring columns of equal width as one <col min max>; openpyxl keys that by
    its first column only. Give each of our columns its own entry before changing one, so no two
    entries overlap (Excel "repairs" such files)."""
    dims = ws.column_dimensions
    for dim in list(dims.values()):
        if dim.min and dim.max and dim.max > dim.min:
            for col in range(dim.min + 1, dim.max + 1):
                letter = get_column_letter(col)
                if letter not in dims:
                    twin = ColumnDimension(ws, index=letter, width=dim.width, bestFit=dim.bestFit,
                                           hidden=dim.hidden, outlineLevel=dim.outlineLevel,
                                           collapsed=dim.collapsed, min=col, max=col)
                    twin._style = copy.copy(dim._style)
                    dims[letter] = twin
            dim.max = dim.min


def fit_widths(ws, columns: dict[str, int], rows: Iterable[dict[str, Any]], *, shrink: bool) -> None:
    """Column widths that fit the text, counting a CJK character as two. Without ``shrink`` a
    column only ever widens (the user may have widened it on purpose). ``columns`` maps each of
    our headers to its column, ``rows`` are the values written, by header."""
    need = {h: display_width(h) for h in columns}
    for row in rows:
        for header, value in row.items():
            if value is not None and header in need:
                text = value if isinstance(value, str) else str(value)
                if len(text) * 2 > need[header]:  # cheap upper bound first
                    need[header] = max(need[header], display_width(text))
    _split_column_groups(ws)
    dims = ws.column_dimensions
    for header, col in columns.items():
        cap = WIDTH_CAPS.get(header, DEFAULT_CAP)
        width = max(6, min(cap, need[header] + 2))
        letter = get_column_letter(col)
        current = dims[letter].width if letter in dims and dims[letter].width else None
        if shrink or current is None or width > current:
            dims[letter].width = width


class StyleCache:
    """Each combination of number format, fill, font and alignment is looked up in the workbook's
    style tables once; cells then get a copy of the finished style array (openpyxl would otherwise
    hash the whole style again for every cell)."""

    def __init__(self, ws):
        self.ws = ws
        self.cache: dict[tuple, Any] = {}

    def apply(self, cell, *, number_format: str | None = None, fill=None, font=None, alignment=None,
              border=None) -> None:
        key = (number_format, id(fill), id(font), id(alignment), id(border))
        style = self.cache.get(key)
        if style is None:
            scratch = Cell(self.ws, row=1, column=1)  # never placed in the sheet
            set_style(scratch, number_format=number_format, fill=fill, font=font, alignment=alignment,
                      border=border)
            style = self.cache[key] = scratch._style
        cell._style = copy.copy(style)


def cell_value(ws, row: int, col: int) -> Any:
    cell = ws._cells.get((row, col))
    return None if cell is None else cell._value


HEADER_SEARCH_ROWS = 3
HEADER_SEARCH_COLUMNS = 1024  # our headers sit within these (a sheet may have thousands of rows: not scanned)


def _header_cells(ws, row: int):
    get = ws._cells.get
    for col in range(1, HEADER_SEARCH_COLUMNS + 1):
        cell = get((row, col))
        if cell is not None and cell._value is not None:
            yield col, cell._value


def header_map(ws, header_row: int = 1) -> dict[str, int]:
    found: dict[str, int] = {}
    for col, value in _header_cells(ws, header_row):
        name = plain(value).strip()
        if name and name not in found:
            found[name] = col
    return found


def find_header_row(ws, required: Sequence[str]) -> int | None:
    """The row (1 to 3) that holds every required header: 2 under a title row, 1 in ledgers made
    before there was one."""
    for row in range(1, HEADER_SEARCH_ROWS + 1):
        names = {plain(value).strip() for _col, value in _header_cells(ws, row)}
        if all(h in names for h in required):
            return row
    return None


def is_blank_sheet(ws) -> bool:
    return all(cell._value is None for cell in ws._cells.values()) and not ws.tables


def as_number(value: Any) -> int | float | None:
    """数值 as typed by us or edited by the user: a number, or None for blank and anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = plain(value).strip().replace(",", "")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        number = float(text)
        return int(number) if number.is_integer() else number
    return None
