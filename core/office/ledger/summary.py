"""The derived sheets: 汇总 (one row per kind of item, one column per 报告期, the check that smaller
periods add up) and 汇总图表 (a bar chart of the latest period), and the print setup of a sheet."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from core.office.ledger.cells import (
    StyleCache,
    as_number,
    canon_period,
    canon_unit,
    cell_value,
    display_width,
    fit_widths,
    is_blank_sheet,
    plain,
    set_style,
    set_text,
)
from core.office.ledger.rows import ledger_title, set_row_heights, write_header
from core.office.ledger.schema import (
    BOLD,
    CENTER_TOP,
    CHART_HEADER_ROW,
    CHART_HEADERS,
    CHART_ROWS,
    CHART_SHEET,
    GRID,
    HEADER_ALIGN,
    HEADER_FILL,
    HEADER_ROW,
    INDEX_HEADER,
    RED_FILL,
    RED_FONT,
    STATUS_BLANK,
    SUMMARY_KEY_HEADERS,
    SUMMARY_NOTE_HEADER,
    SUMMARY_SHEET,
    TITLE_ALIGN,
    TITLE_FONT,
    TITLE_ROW,
    TOP,
    WIDTH_CAPS,
    WRAP,
    YELLOW,
    LedgerError,
)
from core.office.ledger.workbook_io import quoted
from core.text.periods import KIND_HALF, KIND_MONTH, KIND_QUARTER, parse_period, period_sort_key
from core.text.periods import period_name as period_label
from core.text.stats import kinds


def _parts_label(parts: int, indices: list[int]) -> str:
    if parts == KIND_HALF:
        return "上半年与下半年"
    first, last = period_label(parts, indices[0]), period_label(parts, indices[-1])
    return f"{first}至{last}"


def _num(value: int | float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.10g}"


def _number_format(qualifiers: set[str]) -> str:
    if not qualifiers:
        return "0"
    q = next(iter(qualifiers)) if len(qualifiers) == 1 else "约"
    if q in ("近", "约"):
        return f'"{q}"0'
    return f'0"{q}"'


def _summed_items() -> frozenset[str]:
    """指标 names whose mentions in one report add up (stats.toml: consistency = false)."""
    return frozenset(k.name for k in kinds() if not k.consistency)


SUMMARY_HEADERS_START = (INDEX_HEADER, *SUMMARY_KEY_HEADERS)


def _is_our_summary(ws) -> bool:
    if is_blank_sheet(ws):
        return True
    old = tuple(plain(cell_value(ws, 1, c)).strip() for c in range(1, 5))
    new = tuple(plain(cell_value(ws, HEADER_ROW, c)).strip() for c in range(1, 6))
    return old == SUMMARY_KEY_HEADERS or new == SUMMARY_HEADERS_START


def build_summary(wb, detail, columns: dict[str, int], last_row: int, path: Path,
                   header_row: int = 1) -> dict[str, Any]:
    """Rebuild 汇总 from 台账明细 as it now stands (the user's edits there included)."""
    index = None
    if SUMMARY_SHEET in wb.sheetnames:
        old = wb[SUMMARY_SHEET]
        if not _is_our_summary(old):
            raise LedgerError(
                f"无法更新台账{quoted(path)}：工作簿里已有一张名为“{SUMMARY_SHEET}”的工作表，但它不是本程序生成的，"
                f"为免覆盖其中的内容，请把它改个名字后重试。", path)
        index = wb.sheetnames.index(SUMMARY_SHEET)
        selected = old.sheet_view.tabSelected
        wb.remove(old)
    else:
        selected = False
        index = wb.sheetnames.index(detail.title) + 1
    ws = wb.create_sheet(SUMMARY_SHEET, index)
    ws.sheet_view.tabSelected = selected
    styles = StyleCache(ws)

    # Gather: (unit, category, item, measure) x period -> [figure, qualifiers, rows, blanks].
    # A report often states the same period total twice ("完成整改15个" in two places): for such
    # items the period's figure is the largest stated, not the sum. Items counted per activity
    # (发现问题 in each inspection, each 培训) are added up. Different periods are never added.
    summed = _summed_items()
    c = columns
    unit_rank: dict[str, int] = {}
    key_rank: dict[tuple, int] = {}
    periods: dict[str, tuple] = {}
    cells: dict[tuple, dict[str, list]] = {}
    get = detail._cells.get
    for r in range(header_row + 1, last_row + 1):
        item_cell = get((r, c["指标"]))
        item = plain(item_cell._value).strip() if item_cell is not None else ""
        if not item:
            continue
        pv = get((r, c["报告期"]))
        period = canon_period(pv._value if pv is not None else "")
        if not period:
            continue
        unit = canon_unit(cell_value(detail, r, c["单位"]))
        key = (unit, plain(cell_value(detail, r, c["类别"])).strip(), item,
               plain(cell_value(detail, r, c["计量单位"])).strip())
        unit_rank.setdefault(unit, len(unit_rank))
        key_rank.setdefault(key, len(key_rank))
        if period not in periods:
            periods[period] = period_sort_key(period)
        slot = cells.setdefault(key, {}).setdefault(period, [None, set(), 0, 0])
        number = as_number(cell_value(detail, r, c["数值"]))
        slot[2] += 1
        if number is None:
            slot[3] += 1
        else:
            if slot[0] is None:
                slot[0] = number
            elif item in summed:
                slot[0] += number
            else:
                slot[0] = max(slot[0], number)
            qualifier = plain(cell_value(detail, r, c["限定词"])).strip()
            if qualifier:
                slot[1].add(qualifier)
    ordered_periods = sorted(periods, key=lambda p: periods[p])
    ordered_keys = sorted(cells, key=lambda k: (unit_rank[k[0]], key_rank[k]))

    headers = [*SUMMARY_HEADERS_START, *ordered_periods, SUMMARY_NOTE_HEADER]
    ncols = len(headers)
    note_col = ncols
    top = HEADER_ROW + 1
    write_header(ws, HEADER_ROW, {h: i for i, h in enumerate(headers, start=1)})
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=ncols)
    title = ws.cell(row=TITLE_ROW, column=1)
    set_text(title, ledger_title({(p, k[0]) for k in cells for p in cells[k]}, "全面从严治党统计台账汇总"))
    title.font, title.alignment = TITLE_FONT, TITLE_ALIGN
    ws.row_dimensions[TITLE_ROW].height = 30
    ws.freeze_panes = f"F{top}"

    period_col = {p: len(SUMMARY_HEADERS_START) + 1 + i for i, p in enumerate(ordered_periods)}
    parsed = {p: parse_period(p) for p in ordered_periods}
    by_kind = {v: p for p, v in parsed.items() if v is not None}
    mismatches: list[str] = []
    for row_index, key in enumerate(ordered_keys, start=top):
        number = ws.cell(row=row_index, column=1, value=row_index - top + 1)
        styles.apply(number, alignment=CENTER_TOP, border=GRID)
        for col, text in enumerate(key, start=2):
            cell = ws.cell(row=row_index, column=col)
            styles.apply(cell, alignment=CENTER_TOP if col == 5 else TOP, border=GRID)
            if text:
                set_text(cell, text)
        for col in period_col.values():
            styles.apply(ws.cell(row=row_index, column=col), alignment=CENTER_TOP, border=GRID)
        notes = []
        for period, slot in cells[key].items():
            cell = ws.cell(row=row_index, column=period_col[period])
            total, qualifiers, count, blanks = slot
            if total is None:
                cell.value = STATUS_BLANK
                styles.apply(cell, fill=YELLOW, alignment=CENTER_TOP, border=GRID)
                continue
            cell.value = total
            if qualifiers:
                styles.apply(cell, number_format=_number_format(qualifiers), alignment=CENTER_TOP, border=GRID)
            if blanks:
                notes.append(f"{period}另有{blanks}项待填")
            if count - blanks > 1:
                notes.append(f"{period}由{count - blanks}条明细合计")
        # Does a larger period agree with the smaller ones inside it?
        unit, _category, item, measure = key
        for period in ordered_periods:
            whole = parsed[period]
            slot = cells[key].get(period)
            if whole is None or slot is None or slot[0] is None:
                continue
            year, parts, index = whole
            for finer in (KIND_HALF, KIND_QUARTER, KIND_MONTH):
                if finer <= parts or finer % parts:
                    continue
                step = finer // parts
                indices = list(range((index - 1) * step + 1, index * step + 1))
                pieces = [by_kind.get((year, finer, j)) for j in indices]
                slots = [cells[key].get(p) if p else None for p in pieces]
                if any(s is None or s[0] is None for s in slots):
                    continue
                total = sum(s[0] for s in slots)
                if total == slot[0]:
                    continue
                approx = bool(slot[1]) or any(s[1] for s in slots)
                diff = total - slot[0]
                text = (f"{period}：{_parts_label(finer, indices)}合计{_num(total)}{measure}，"
                        f"与{period_label(parts, index)}数{_num(slot[0])}{measure}不一致"
                        f"（{'多' if diff > 0 else '少'}{_num(abs(diff))}{measure}）"
                        f"{'，其中含约数' if approx else ''}，请核对")
                notes.append(text)
                mismatches.append(f"{unit}{item}：{text}")
                cell = ws.cell(row=row_index, column=period_col[period])
                styles.apply(cell, number_format=cell.number_format, fill=RED_FILL, font=RED_FONT,
                             alignment=CENTER_TOP, border=GRID)
                comment_text = (cell.comment.text + "\n" if cell.comment else "") + text + "。"
                cell.comment = Comment(comment_text, "主体责任报告助手", width=260, height=110)
        note = ws.cell(row=row_index, column=note_col)
        styles.apply(note, alignment=WRAP, border=GRID,
                     font=RED_FONT if any("不一致" in n for n in notes) else None)
        if notes:
            set_text(note, "；".join(notes) + "。")
    last = len(ordered_keys) + HEADER_ROW
    fit_widths(ws, {h: i for i, h in enumerate(SUMMARY_HEADERS_START, start=1)},
                [dict(zip(SUMMARY_KEY_HEADERS, k)) for k in ordered_keys], shrink=True)
    for p, col in period_col.items():
        ws.column_dimensions[get_column_letter(col)].width = max(10, display_width(p) + 2)
    notes_width = max((display_width(plain(cell_value(ws, r, note_col))) for r in range(top, last + 1)),
                      default=0)
    ws.column_dimensions[get_column_letter(note_col)].width = max(8, min(WIDTH_CAPS["说明"], notes_width + 2))
    set_row_heights(ws, {SUMMARY_NOTE_HEADER: note_col},
                     [(r, {SUMMARY_NOTE_HEADER: cell_value(ws, r, note_col)}) for r in range(top, last + 1)])
    print_setup(ws, HEADER_ROW, force=True)

    latest = _latest_period(ordered_periods)
    chart_items = _add_chart(wb, cells, ordered_keys, latest, path)
    return {"periods": ordered_periods, "latest_period": latest, "mismatches": mismatches,
            "summary_rows": len(ordered_keys), "chart_items": chart_items}


def _latest_period(periods: list[str]) -> str | None:
    known = [p for p in periods if parse_period(p) is not None]
    if known:
        return max(known, key=period_sort_key)
    return periods[-1] if periods else None


def _add_chart(wb, cells, keys, latest: str | None, path: Path) -> int:
    """The sheet 汇总图表, rebuilt each time: a bar chart of the latest period's counts, fed by a
    small block under it. A sheet of its own so that it prints on its own page, without the
    汇总's repeated header row above it."""
    index = wb.sheetnames.index(SUMMARY_SHEET) + 1
    if CHART_SHEET in wb.sheetnames:
        old = wb[CHART_SHEET]
        ours = any((plain(cell_value(old, r, 1)), plain(cell_value(old, r, 2))) == CHART_HEADERS
                   for r in range(1, CHART_HEADER_ROW + CHART_ROWS + 1))
        if not is_blank_sheet(old) and not ours:
            raise LedgerError(
                f"无法更新台账{quoted(path)}：工作簿里已有一张名为“{CHART_SHEET}”的工作表，但它不是本程序生成的，"
                f"为免覆盖其中的内容，请把它改个名字后重试。", path)
        index = wb.sheetnames.index(CHART_SHEET)
        wb.remove(old)
    ws = wb.create_sheet(CHART_SHEET, index)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 10
    title = ws.cell(row=TITLE_ROW, column=1)
    title.font = TITLE_FONT
    items = []
    several = latest is not None and len({k[0] for k in keys if latest in cells[k]}) > 1
    for key in keys:
        slot = cells[key].get(latest) if latest else None
        if slot is None or slot[0] is None:
            continue
        unit, _category, item, measure = key
        label = f"{item}（{measure}）" if measure else item
        items.append((f"{unit}·{label}" if several else label, slot[0]))
    units = sorted({k[0] for k in keys if latest in cells[k]})
    who = units[0] if len(units) == 1 else f"{units[0]}等{len(units)}个单位" if units else ""
    set_text(title, f"{who}{latest or ''}各项数量（图表和数据随每次导出重新生成）" if items
             else "台账中还没有可画图的数字")
    data_top = CHART_HEADER_ROW
    if items:
        chart = BarChart()
        chart.type = "col"
        chart.style = 10
        chart.title = f"{latest}各项数量"
        chart.y_axis.title = "数量"
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.legend = None
        chart.width = min(max(16.0, 2 + 1.4 * len(items)), 25.0)
        chart.height = 11.5
        data_top = CHART_HEADER_ROW + CHART_ROWS
        # the chart at the top of the page, its numbers under it
        ws.add_chart(chart, f"A{CHART_HEADER_ROW}")
    for col, text in enumerate(CHART_HEADERS, start=1):
        cell = ws.cell(row=data_top, column=col, value=text)
        set_style(cell, font=BOLD, fill=HEADER_FILL, border=GRID, alignment=HEADER_ALIGN)
    for i, (label, value) in enumerate(items, start=data_top + 1):
        cell = ws.cell(row=i, column=1)
        set_text(cell, label)
        cell.border = GRID
        number = ws.cell(row=i, column=2, value=value)
        number.number_format, number.border, number.alignment = "0", GRID, CENTER_TOP
    if items:
        end = data_top + len(items)
        chart.add_data(Reference(ws, min_col=2, min_row=data_top, max_row=end), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=data_top + 1, max_row=end))
    landscape_a4_fit_to_width(ws)
    if items:
        ws.row_breaks.append(Break(id=data_top - 1))  # the chart alone on the first page
    return len(items)


def landscape_a4_fit_to_width(ws) -> None:
    """Landscape A4, as many pages down as it takes but one page wide, centred."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True


def print_setup(ws, header_row: int, *, force: bool) -> None:
    """Landscape A4, fitted to the page width, the header row on every page, page numbers below.
    Done once: a ledger the user has set up for printing keeps the user's settings."""
    if not force and ws.print_title_rows:
        return
    landscape_a4_fit_to_width(ws)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9
