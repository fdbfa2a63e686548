"""Moving rows the way Excel would: where each old row goes, and formulas, names, merged cells,
conditional formats and validations that follow it."""
from __future__ import annotations

import re

from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.cell_range import MultiCellRange


class RowMap:
    """Where each old row of a sheet ends up: rows before ``first`` stay, rows in
    ``first..old_last`` follow ``moved`` (None: the row is gone), rows after ``old_last`` shift by
    ``tail``."""

    def __init__(self, first: int, old_last: int, moved: dict[int, int | None], tail: int):
        self.first, self.old_last, self.moved, self.tail = first, old_last, moved, tail

    def row(self, r: int) -> int | None:
        if r < self.first:
            return r
        if r > self.old_last:
            return r + self.tail
        return self.moved.get(r, r)

    def span(self, r1: int, r2: int) -> tuple[int, int] | None:
        """A range of rows keeps what survives of it, like a range when Excel deletes rows."""
        if r2 < self.first:
            return r1, r2
        lo = next((n for r in range(r1, r2 + 1) if (n := self.row(r)) is not None), None)
        if lo is None:
            return None
        hi = next(n for r in range(r2, r1 - 1, -1) if (n := self.row(r)) is not None)
        return lo, max(lo, hi)

    @property
    def identity(self) -> bool:
        return self.tail == 0 and all(v == k for k, v in self.moved.items())


_SHEET_PREFIX = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!\[\]:]+))!")
_CELL = re.compile(r"^(\$?)([A-Za-z]{1,3})(\$?)(\d+)$")
_ROWS = re.compile(r"^(\$?)(\d+):(\$?)(\d+)$")


def _shift_reference(ref: str, rows: RowMap) -> str:
    """``A5``, ``$A$5:B9`` or ``5:9`` moved by ``rows``; whole columns and names as they are."""
    left, sep, right = ref.partition(":")
    a = _CELL.match(left)
    b = _CELL.match(right) if sep else None
    if a and (not sep or b):
        r1 = int(a.group(4))
        r2 = int(b.group(4)) if b else r1
        if not sep:
            new = rows.row(r1)
            return "#REF!" if new is None else f"{a.group(1)}{a.group(2)}{a.group(3)}{new}"
        span = rows.span(min(r1, r2), max(r1, r2))
        if span is None:
            return "#REF!"
        n1, n2 = span if r1 <= r2 else span[::-1]
        return f"{a.group(1)}{a.group(2)}{a.group(3)}{n1}:{b.group(1)}{b.group(2)}{b.group(3)}{n2}"
    m = _ROWS.match(ref)
    if m:
        r1, r2 = int(m.group(2)), int(m.group(4))
        span = rows.span(min(r1, r2), max(r1, r2))
        if span is None:
            return "#REF!"
        return f"{m.group(1)}{span[0]}:{m.group(3)}{span[1]}"
    return ref


def _shift_formula(formula: str, sheet_title: str, on_sheet: bool, rows: RowMap) -> str:
    """A formula with its references to ``sheet_title`` moved; unqualified references count as
    that sheet's when the formula sits on it."""
    if not isinstance(formula, str) or not formula.startswith("="):
        return formula
    try:
        tokens = Tokenizer(formula).items
    except Exception:  # noqa: BLE001 - a formula we cannot read is left alone
        return formula
    parts, changed = [], False
    for token in tokens:
        value = token.value
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            m = _SHEET_PREFIX.match(value)
            if m:
                name = (m.group(1) or "").replace("''", "'") if m.group(1) is not None else m.group(2)
                if name == sheet_title:
                    new = value[: m.end()] + _shift_reference(value[m.end():], rows)
                    changed |= new != value
                    value = new
            elif on_sheet and "[" not in value:
                new = _shift_reference(value, rows)
                changed |= new != value
                value = new
        parts.append(value)
    if not changed:
        return formula
    rebuilt = "=" + "".join(parts)
    original = "=" + "".join(t.value for t in tokens)
    return rebuilt if original == formula else formula


def _shift_sqref(sqref: str, rows: RowMap) -> str:
    out = []
    for piece in str(sqref).split():
        try:
            min_col, min_row, max_col, max_row = range_boundaries(piece)
        except (ValueError, TypeError):
            out.append(piece)
            continue
        if min_row is None:  # whole columns
            out.append(piece)
            continue
        span = rows.span(min_row, max_row)
        if span is None:
            continue
        if min_col is None:
            out.append(f"{span[0]}:{span[1]}")
        else:
            a, b = get_column_letter(min_col), get_column_letter(max_col)
            out.append(f"{a}{span[0]}" if (min_col, span[0]) == (max_col, span[1]) else f"{a}{span[0]}:{b}{span[1]}")
    return " ".join(out)


def follow_moved_rows(wb, ws, rows: RowMap) -> None:
    """After rows of ``ws`` moved: formulas everywhere, defined names, merged cells, conditional
    formats and data validations of ``ws`` follow them as Excel would have done."""
    title = ws.title
    for sheet in wb.worksheets:
        on_sheet = sheet is ws
        for cell in sheet._cells.values():
            if cell.data_type == "f" and isinstance(cell._value, str):
                if on_sheet or title in cell._value:
                    cell._value = _shift_formula(cell._value, title, on_sheet, rows)
    names = list(wb.defined_names.values())
    for sheet in wb.worksheets:
        names.extend(sheet.defined_names.values())
    for name in names:
        text = getattr(name, "attr_text", None)
        if isinstance(text, str) and title in text:
            name.attr_text = _shift_formula("=" + text, title, False, rows)[1:]
    for merged in list(ws.merged_cells.ranges):
        if merged.max_row < rows.first:
            continue
        lo, hi = rows.row(merged.min_row), rows.row(merged.max_row)
        if lo is None or hi is None or hi - lo != merged.max_row - merged.min_row:
            ws.merged_cells.remove(merged)
        else:
            merged.shift(row_shift=lo - merged.min_row)
    if ws.conditional_formatting:
        rebuilt = ConditionalFormattingList()
        for cf in ws.conditional_formatting:
            sqref = _shift_sqref(str(cf.sqref), rows)
            if sqref:
                for rule in cf.rules:
                    rebuilt.add(sqref, rule)
        ws.conditional_formatting = rebuilt
    validations = ws.data_validations.dataValidation
    for dv in list(validations):
        sqref = _shift_sqref(str(dv.sqref), rows)
        if sqref:
            dv.sqref = MultiCellRange(sqref)
        else:
            validations.remove(dv)
