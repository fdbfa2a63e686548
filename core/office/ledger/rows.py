"""The two owned sheets (台账明细, 检查结果): finding or making the sheet, putting a report's rows in
place of its old ones or after the last, row heights, 序号, the print grid, the title row, the table."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import MergedCell
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formatting.rule import Rule
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.table import Table, TableStyleInfo

from core import resources
from core.check.checklist import declared_items
from core.check.findings import SEVERITY_LABELS
from core.office.ledger.cells import (
    StyleCache,
    canon_period,
    canon_type,
    canon_unit,
    cell_value,
    find_header_row,
    header_map,
    is_blank_sheet,
    plain,
    set_style,
    set_text,
)
from core.office.ledger.moves import RowMap, follow_moved_rows
from core.office.ledger.schema import (
    ADDED_HEADERS,
    BOLD,
    CENTER_CELL,
    CENTERED,
    GRID,
    HEADER_ALIGN,
    HEADER_FILL,
    HEADER_ROW,
    HIDDEN_HEADERS,
    INDEX_HEADER,
    STATUS_BLANK,
    STATUS_FILLED,
    TITLE_ALIGN,
    TITLE_FONT,
    TITLE_ROW,
    UNKNOWN_UNIT,
    WRAP_CELL,
    WRAPPED,
    YELLOW,
    LedgerError,
    LedgerFinding,
    LedgerRow,
    OwnedSheet,
    SheetSpec,
)
from core.office.ledger.workbook_io import quoted
from core.text.periods import parse_period, period_sort_key


def detail_cells(row: LedgerRow, unit: str, period: str, report_type: str) -> dict[str, Any]:
    value = row.value
    if value is not None and not isinstance(value, bool):
        value = int(value)
    else:
        value = None
    return {"序号": None, "报告期": period, "单位": unit, "报告类型": report_type, "类别": row.category,
            "指标": row.item, "口径": row.basis or None, "数值": value,
            "计量单位": row.measure, "限定词": row.qualifier or None,
            "状态": STATUS_FILLED if value is not None else STATUS_BLANK,
            "原文": row.source, "位置": row.location}


def finding_cells(finding: LedgerFinding, unit: str, period: str, source_file: str, report_type: str) -> dict[str, Any]:
    return {"序号": None, "报告期": period, "单位": unit, "报告类型": report_type,
            "检查项": finding.group or _checklist_titles().get(finding.rule, finding.rule),
            "级别": SEVERITY_LABELS.get(finding.severity, finding.severity),
            "说明": finding.message, "位置": finding.location, "原文": finding.excerpt,
            "来源文件": source_file, "规则": finding.rule}


@resources.data_cache
def _checklist_titles() -> dict[str, str]:
    """Rule id -> the checklist item's Chinese name (resources/checklist.toml)."""
    return {rule: item.title for item in declared_items() for rule in item.rules}


def prepare_sheet(wb, spec: SheetSpec, path: Path, index: int) -> OwnedSheet:
    """Our sheet with its header row, found or made."""
    if spec.name in wb.sheetnames:
        ws = wb[spec.name]
        if not is_blank_sheet(ws):
            header_row = find_header_row(ws, spec.required)
            if header_row is None:
                found = header_map(ws, 1)
                missing = [h for h in spec.required if h not in found]
                raise LedgerError(
                    f"无法更新台账{quoted(path)}：工作表“{spec.name}”的表头缺少“{'”“'.join(missing)}”列，"
                    f"可能被改动过或不是本程序生成的，请恢复表头或换一个台账文件。", path)
            found = header_map(ws, header_row)
            columns = {h: found[h] for h in spec.headers if h in found}
            _add_columns(ws, header_row, columns, [h for h in ADDED_HEADERS if h in spec.headers and h not in found])
            return OwnedSheet(ws, header_row, columns, False)
    else:
        ws = wb.create_sheet(spec.name, min(index, len(wb.sheetnames)))
    columns = {h: i for i, h in enumerate(spec.headers, start=1)}
    write_header(ws, HEADER_ROW, columns)
    for header in HIDDEN_HEADERS:
        if header in columns:
            ws.column_dimensions[get_column_letter(columns[header])].hidden = True
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=len(spec.headers))
    title = ws.cell(row=TITLE_ROW, column=1)
    title.font, title.alignment = TITLE_FONT, TITLE_ALIGN
    ws.row_dimensions[TITLE_ROW].height = 30
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    return OwnedSheet(ws, HEADER_ROW, columns, True)


def _add_columns(ws, header_row: int, columns: dict[str, int], missing: list[str]) -> None:
    """Columns a ledger of an earlier version lacks, added after the last header (报告类型 tells a
    report's rows apart; its old rows keep the cell blank)."""
    if not missing:
        return
    last = max((c for (r, c), cell in ws._cells.items() if r == header_row and cell._value is not None), default=0)
    for offset, header in enumerate(missing, start=1):
        columns[header] = last + offset
    write_header(ws, header_row, {h: columns[h] for h in missing})


def write_header(ws, row: int, columns: dict[str, int]) -> None:
    for header, col in columns.items():
        cell = ws.cell(row=row, column=col, value=header)
        cell.data_type = "s"
        set_style(cell, font=BOLD, fill=HEADER_FILL, alignment=HEADER_ALIGN, border=GRID)


def _write_row(ws, r: int, columns: dict[str, int], values: dict[str, Any], styles: StyleCache) -> None:
    """Write our columns of row ``r`` afresh (the user's own columns of the row stay)."""
    blank = "数值" in values and values["数值"] is None
    for header, value in values.items():
        col = columns.get(header)
        if col is None:  # a column older ledgers do not have
            continue
        old = ws._cells.get((r, col))
        if old is not None:
            if isinstance(old, MergedCell):
                continue
            del ws._cells[(r, col)]
        cell = ws.cell(row=r, column=col)
        # Only the cells that need a style get one (every styled cell costs time to load and save
        # in a ledger of thousands of rows); the grid comes from one conditional format instead.
        if header == "数值":
            cell.value = value
            styles.apply(cell, number_format="0", fill=YELLOW if blank else None, alignment=CENTER_CELL)
            continue
        if header in WRAPPED:
            styles.apply(cell, alignment=WRAP_CELL)
        elif header == INDEX_HEADER or (header in CENTERED and value is not None):
            styles.apply(cell, alignment=CENTER_CELL)
        elif blank and header == "状态":
            styles.apply(cell, fill=YELLOW)
        if value is not None:
            set_text(cell, value)  # after the style: it may add a quote prefix


Key = tuple[str, str, str]  # (报告期, 单位, 报告类型): the rows of one report


@dataclass
class MergedRows:
    written: int
    replaced: int
    last_row: int  # the last data row (the header row when there is none)
    data_rows: list[int]  # every data row, top to bottom, as the sheet now stands
    keys: set[Key]  # every (报告期, 单位, 报告类型) in the sheet
    new_rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (row, values) written now
    replaced_keys: dict[Key, int] = field(default_factory=dict)  # rows replaced, per report
    replaced_sources: dict[Key, set[str]] = field(default_factory=dict)  # 来源文件 of those rows
    untyped: dict[Key, int] = field(default_factory=dict)  # rows of the unit and period with no 报告类型 (kept)
    rows: RowMap | None = None  # where the old rows went (None: none moved)


def merge_rows(wb, ws, columns: dict[str, int], replace: dict[Key, list[dict[str, Any]]],
                order: list[Key], header_row: int = 1) -> MergedRows:
    """Put each report's rows in: in place of the same report's old rows (same 报告期, 单位 and
    报告类型), or after the last row. Rows of any other report are never touched: old rows with no
    报告类型 (ledgers of earlier versions) are kept, and counted in ``untyped``.

    Rows that do not belong to a replaced report keep their order, cells and formatting; when they
    have to move, references to them follow (see :func:`follow_moved_rows`). The first run of a
    report's old rows is reused slot by slot, so a user's own formula beside a replaced row still
    points at its row.
    """
    pcol, ucol, tcol = columns["报告期"], columns["单位"], columns.get("报告类型")
    scol = columns.get("来源文件")
    keys: dict[int, Key] = {}
    canon_cache: dict[str, str] = {}
    for (r, c), cell in ws._cells.items():
        if r > header_row and c in (pcol, ucol) and cell._value is not None:
            keys.setdefault(r, None)
    last_data = max(keys, default=header_row)
    for r in keys:
        # plain text first: a ledger saved by LibreOffice or Excel may hold rich text here
        period = plain(cell_value(ws, r, pcol))
        if period not in canon_cache:
            canon_cache[period] = canon_period(period)
        keys[r] = (canon_cache[period], canon_unit(cell_value(ws, r, ucol)),
                   canon_type(cell_value(ws, r, tcol)) if tcol else "")
    untyped: dict[Key, int] = {}
    wanted = {(p, u) for p, u, _t in replace}
    for key in keys.values():
        if not key[2] and (key[0], key[1]) in wanted:
            for k in replace:
                if (k[0], k[1]) == (key[0], key[1]):
                    untyped[k] = untyped.get(k, 0) + 1
    occupied = [r for r, _ in ws._cells] + list(ws.row_dimensions.keys())
    old_last = max(occupied, default=header_row)
    top = header_row + 1

    # The new order from the first row that changes: (old row this position inherits, payload).
    entries: list[tuple[int | None, dict[str, Any] | None]] = []
    deleted: set[int] = set()
    done: set[Key] = set()
    replaced_keys: dict[Key, int] = {}
    replaced_sources: dict[Key, set[str]] = {}
    first = None
    r = top

    def note_replaced(key: Key, rows: list[int]) -> None:
        replaced_keys[key] = replaced_keys.get(key, 0) + len(rows)
        if scol is not None:
            names = replaced_sources.setdefault(key, set())
            names.update(n for row in rows if (n := plain(cell_value(ws, row, scol)).strip()))

    def append_new():
        nonlocal first
        for key in order:
            if key not in done:
                if first is None:
                    first = len(entries) + top
                entries.extend((None, p) for p in replace[key])
                done.add(key)

    while r <= old_last:
        if r == last_data + 1:
            append_new()
        key = keys.get(r) if r <= last_data else None
        if key in replace:
            if first is None:
                first = r
            if key in done:
                deleted.add(r)
                note_replaced(key, [r])
                r += 1
                continue
            run = [r]
            while run[-1] + 1 <= last_data and keys.get(run[-1] + 1) == key:
                run.append(run[-1] + 1)
            payloads = replace[key]
            entries.extend((run[i] if i < len(run) else None, p) for i, p in enumerate(payloads))
            deleted.update(run[len(payloads):])
            note_replaced(key, run)
            done.add(key)
            r = run[-1] + 1
            continue
        entries.append((r, None))
        r += 1
    append_new()

    written = sum(len(replace[k]) for k in order)
    replaced = sum(replaced_keys.values())
    all_keys = set(keys.values()) | set(order)
    extra = {"replaced_keys": replaced_keys, "replaced_sources": replaced_sources, "untyped": untyped}
    if first is None:
        return MergedRows(written, replaced, last_data, sorted(keys), all_keys, **extra)
    moved: dict[int, int | None] = {old: None for old in deleted}
    for pos, (old, _payload) in enumerate(entries, start=top):
        if old is not None:
            moved[old] = pos
    new_last = len(entries) + header_row
    rows = RowMap(first, old_last, moved, new_last - old_last if old_last >= first else 0)

    if not rows.identity:
        # Lift every cell from ``first`` down and set it back where its row now goes.
        lifted: dict[int, list] = {}
        for (cr, cc) in [k for k in ws._cells if k[0] >= first]:
            lifted.setdefault(cr, []).append(ws._cells.pop((cr, cc)))
        dims = {k: ws.row_dimensions.pop(k) for k in [k for k in ws.row_dimensions if k >= first]}
        for old, cells in lifted.items():
            new = rows.row(old)
            if new is None:
                continue
            for cell in cells:
                cell.row = new
                ws._cells[(new, cell.column)] = cell
                if cell._hyperlink is not None:
                    cell._hyperlink.ref = cell.coordinate
        for old, dim in dims.items():
            new = rows.row(old)
            if new is not None:
                dim.index = new
                ws.row_dimensions[new] = dim
        follow_moved_rows(wb, ws, rows)

    styles = StyleCache(ws)
    data_rows, new_rows = [], []
    for pos, (old, payload) in enumerate(entries, start=top):
        if payload is not None:
            _write_row(ws, pos, columns, payload, styles)
            data_rows.append(pos)
            new_rows.append((pos, payload))
        elif old is not None and old in keys:
            data_rows.append(pos)
    data_end = max((pos for pos, (old, p) in enumerate(entries, start=top)
                    if p is not None or (old is not None and old <= last_data)), default=last_data)
    return MergedRows(written, replaced, max(data_end, header_row), data_rows, all_keys, new_rows, **extra,
                      rows=None if rows.identity else rows)


_LINE_PT = 15.0  # one line of 11 pt text, CJK fonts included


def _row_height(ws, columns: dict[str, int], values: dict[str, Any], wrapped=WRAPPED) -> float | None:
    """The height that shows every line of the wrapped cells of a row; None for one line.
    Set explicitly: LibreOffice (and Excel, for rows it did not lay out itself) would otherwise
    print a wrapped cell cut to one line."""
    lines = 1
    for header in wrapped:
        text = values.get(header)
        col = columns.get(header)
        if not text or col is None:
            continue
        dim = ws.column_dimensions.get(get_column_letter(col))
        usable = max(4.0, (dim.width if dim is not None and dim.width else 8.43) - 1)
        text = str(text)
        need = 2 * len(text) - len(text.encode("ascii", "ignore"))  # CJK counts two, quickly
        lines = max(lines, -(-need // int(usable)) + text.count("\n"))
    return None if lines == 1 else round(lines * _LINE_PT + 3, 1)


def set_row_heights(ws, columns: dict[str, int], rows: list[tuple[int, dict[str, Any]]], wrapped=WRAPPED) -> None:
    for r, values in rows:
        height = _row_height(ws, columns, values, wrapped)
        if height is not None:
            ws.row_dimensions[r].height = height
        elif r in ws.row_dimensions and ws.row_dimensions[r].customHeight:
            ws.row_dimensions[r].height = None  # a replaced row that was tall before


def number_rows(ws, col: int | None, data_rows: list[int]) -> None:
    """序号 1, 2, 3 … down the data rows (rewritten each time: rows come and go)."""
    if col is None:
        return
    cells = ws._cells
    styles = StyleCache(ws)
    for n, r in enumerate(data_rows, start=1):
        cell = cells.get((r, col))
        if cell is None:
            cell = ws.cell(row=r, column=col)
            styles.apply(cell, alignment=CENTER_CELL)
        elif isinstance(cell, MergedCell):
            continue
        if cell._value != n:
            cell._value = n
            cell.data_type = "n"


_GRID_FORMULA = re.compile(r"^LEN\(\$[A-Z]{1,3}\d+\)>0$")


def grid(ws, columns: dict[str, int], header_row: int, last_row: int) -> None:
    """Thin borders round every cell of the data rows, for print: one conditional format over our
    columns, on the rows whose 报告期 is filled in (set afresh each time: the data grows)."""
    kept = ConditionalFormattingList()
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            ours = (rule.type == "expression" and len(rule.formula or ()) == 1
                    and _GRID_FORMULA.match(rule.formula[0] or "") and rule.dxf is not None
                    and rule.dxf.border is not None)
            if not ours:
                kept.add(str(cf.sqref), rule)
    ws.conditional_formatting = kept
    if last_row <= header_row:
        return
    first = header_row + 1
    key = get_column_letter(columns["报告期"])
    area = f"A{first}:{get_column_letter(max(columns.values()))}{last_row}"
    ws.conditional_formatting.add(area, Rule(type="expression", formula=[f"LEN(${key}{first})>0"],
                                             dxf=DifferentialStyle(border=GRID)))


def ledger_title(keys: Iterable[tuple], word: str, who: str | None = None) -> str:
    """Who + 台账 + year: 市审计局全面从严治党统计台账（2024年）. ``who`` is the name the user chose
    for the titles (the export dialog, ``--title``); without one a ledger of one unit is titled with
    it and a ledger of several with none (never "甲等12个单位")."""
    units: list[str] = []
    years: set[int] = set()
    for key in sorted(keys, key=lambda k: period_sort_key(k[0])):
        period, unit = key[0], key[1]
        if unit not in units:
            units.append(unit)
        parsed = parse_period(period)
        if parsed:
            years.add(parsed[0])
    if who is None:
        who = units[0] if len(units) == 1 and units[0] != UNKNOWN_UNIT else ""
    when = ""
    if years:
        low, high = min(years), max(years)
        when = f"（{low}年）" if low == high else f"（{low}—{high}年）"
    return f"{who}{word}{when}"


def set_title(ws, header_row: int, title: str) -> None:
    """The title row of a ledger that has one; in an older ledger, the printed page header."""
    if header_row > TITLE_ROW:
        cell = ws._cells.get((TITLE_ROW, 1))
        if cell is None or not isinstance(cell, MergedCell):
            set_text(ws.cell(row=TITLE_ROW, column=1), title)
    else:
        ws.oddHeader.center.text = title.replace("&", "&&")
        ws.oddHeader.center.size = 14


def update_table(wb, ws, spec: SheetSpec, last_row: int, ncols: int, header_row: int = 1) -> str:
    """One table per sheet over the header and data; its ref grows with the data."""
    end = max(last_row, header_row + 1)
    table = next((t for t in ws.tables.values()
                  if range_boundaries(t.ref)[:2] == (1, header_row)), None)
    if table is not None:
        min_col, min_row, max_col, _ = range_boundaries(table.ref)
        end += table.totalsRowCount or 0
        ref = f"A{header_row}:{get_column_letter(max(max_col, ncols))}{end}"
        if max_col < ncols:  # a table narrower than our columns: let openpyxl name them again
            table.tableColumns = []
        table.ref = ref
        if table.autoFilter is not None:
            table.autoFilter.ref = (f"A{header_row}:{get_column_letter(max(max_col, ncols))}"
                                    f"{end - (table.totalsRowCount or 0)}")
        return table.displayName
    ref = f"A{header_row}:{get_column_letter(ncols)}{end}"
    taken = {t.displayName.lower() for s in wb.worksheets for t in s.tables.values()}
    taken |= {n.lower() for n in getattr(wb.defined_names, "keys", lambda: [])()}
    name, n = spec.table, 1
    while name.lower() in taken:
        n += 1
        name = f"{spec.table}{n}"
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False,
                                          showColumnStripes=False, showFirstColumn=False,
                                          showLastColumn=False)
    ws.add_table(table)
    return name
