"""The derived sheets: 汇总 (one row per kind of item, one column per 报告期, the check that smaller
periods add up) and 汇总图表 (a bar chart of the latest period), and the print setup of a sheet."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.chart import BarChart, Reference, Series
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
    BASIS_HEADER,
    BOLD,
    CENTER_TOP,
    CHART_HEADER_ROW,
    CHART_HEADERS,
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
    TYPE_HEADER,
    WIDTH_CAPS,
    WRAP,
    YELLOW,
    LedgerError,
)
from core.office.ledger.workbook_io import quoted
from core.text.figures import Figure, combine
from core.text.periods import KIND_HALF, KIND_MONTH, KIND_QUARTER, parse_period, period_sort_key
from core.text.periods import period_name as period_label
from core.text.stats import kinds, parse_basis


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


SUMMARY_HEADERS_START = (INDEX_HEADER, *SUMMARY_KEY_HEADERS)
_OLD_LAYOUTS = (("单位", "类别", "指标", "计量单位"), (INDEX_HEADER, "单位", "类别", "指标", "计量单位"))


def _is_our_summary(ws) -> bool:
    if is_blank_sheet(ws):
        return True
    first = tuple(plain(cell_value(ws, 1, c)).strip() for c in range(1, 5))
    second = tuple(plain(cell_value(ws, HEADER_ROW, c)).strip() for c in range(1, len(SUMMARY_HEADERS_START) + 1))
    return first == _OLD_LAYOUTS[0] or second == SUMMARY_HEADERS_START or second[:5] == _OLD_LAYOUTS[1]


@dataclass
class _Cell:
    """The rows of 台账明细 behind one cell of 汇总: (数值 or None, 限定词, 原文) in ledger order."""

    stated: list = field(default_factory=list)
    figure: Figure | None = None


def _label(item: str, basis: str) -> str:
    return f"{item}（{basis}）" if basis else item


def build_summary(wb, detail, columns: dict[str, int], last_row: int, path: Path,
                  header_row: int = 1, who: str | None = None) -> dict[str, Any]:
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

    # Gather: (unit, type, category, item with its 口径, measure) x period -> the figures stated.
    # One report's figures for a cell are combined by the one rule (core.text.figures.combine, which
    # the 统计 chart uses too): a period total stated twice must agree (else 前后不一致, both shown),
    # figures of separate activities are added (合计, 余 kept), and figures of another 口径 (a part
    # of the period, each branch, whose, which source) have a row of their own. A person's report
    # and a unit's have different 报告类型: never one row. Different periods are never added.
    activities = _activity_kinds()
    c = columns
    unit_rank: dict[str, int] = {}
    key_rank: dict[tuple, int] = {}
    periods: dict[str, tuple] = {}
    cells: dict[tuple, dict[str, _Cell]] = {}
    get = detail._cells.get
    tcol, bcol, scol = c.get(TYPE_HEADER), c.get(BASIS_HEADER), c.get("原文")
    # A ledger repeats a few values thousands of times: each distinct one is made canonical once.
    texts: dict[Any, str] = {}
    periods_seen: dict[str, str] = {}
    units_seen: dict[str, str] = {}
    bases_seen: dict[str, str] = {}

    def text(r: int, col: int | None) -> str:
        cell = get((r, col)) if col is not None else None
        if cell is None:
            return ""
        value = cell._value
        if value.__class__ is str:
            found = texts.get(value)
            if found is None:
                found = texts[value] = value.strip()
            return found
        return plain(value).strip()  # rich text (unhashable), numbers

    pcol, ucol, icol = c["报告期"], c["单位"], c["指标"]
    ccol, mcol, qcol, vcol = c["类别"], c["计量单位"], c["限定词"], c["数值"]
    for r in range(header_row + 1, last_row + 1):
        item = text(r, icol)
        if not item:
            continue
        raw = text(r, pcol)
        period = periods_seen.get(raw)
        if period is None:
            period = periods_seen[raw] = canon_period(raw)
        if not period:
            continue
        raw = text(r, ucol)
        unit = units_seen.get(raw)
        if unit is None:
            unit = units_seen[raw] = canon_unit(raw)
        raw = text(r, bcol)
        basis = bases_seen.get(raw)
        if basis is None:
            basis = bases_seen[raw] = parse_basis(raw)[1]
        key = (unit, text(r, tcol), text(r, ccol), _label(item, basis), text(r, mcol))
        if key not in key_rank:
            unit_rank.setdefault(unit, len(unit_rank))
            key_rank[key] = len(key_rank)
        if period not in periods:
            periods[period] = period_sort_key(period)
        slot = cells.setdefault(key, {}).setdefault(period, _Cell())
        value = get((r, vcol))
        slot.stated.append((as_number(None if value is None else value._value), text(r, qcol) or None, r, item))
    for by_period in cells.values():
        for slot in by_period.values():
            stated = slot.stated
            if len(stated) > 1 and scol is not None:  # two places are told apart by their sentence (原文)
                stated = [(v, q, text(r, scol) or r, i) for v, q, r, i in stated]
            # a period total unless stats.toml says the kind counts separate activities
            slot.figure = combine([(v, q, w) for v, q, w, _i in stated], stated[0][3] not in activities)
    ordered_periods = sorted(periods, key=lambda p: periods[p])
    ordered_keys = sorted(cells, key=lambda k: (unit_rank[k[0]], key_rank[k]))

    headers = [*SUMMARY_HEADERS_START, *ordered_periods, SUMMARY_NOTE_HEADER]
    ncols = len(headers)
    note_col = ncols
    top = HEADER_ROW + 1
    first_period_col = len(SUMMARY_HEADERS_START) + 1
    write_header(ws, HEADER_ROW, {h: i for i, h in enumerate(headers, start=1)})
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=ncols)
    title = ws.cell(row=TITLE_ROW, column=1)
    set_text(title, ledger_title({(p, k[0]) for k in cells for p in cells[k]}, "全面从严治党统计台账汇总", who))
    title.font, title.alignment = TITLE_FONT, TITLE_ALIGN
    ws.row_dimensions[TITLE_ROW].height = 30
    ws.freeze_panes = f"{get_column_letter(first_period_col)}{top}"

    period_col = {p: first_period_col + i for i, p in enumerate(ordered_periods)}
    parsed = {p: parse_period(p) for p in ordered_periods}
    by_kind = {v: p for p, v in parsed.items() if v is not None}
    mismatches: list[str] = []
    conflicts: list[str] = []
    measure_col = len(SUMMARY_HEADERS_START)
    wrapped = {SUMMARY_HEADERS_START.index(h) + 1 for h in (TYPE_HEADER, "指标")}  # long names wrap
    for row_index, key in enumerate(ordered_keys, start=top):
        number = ws.cell(row=row_index, column=1, value=row_index - top + 1)
        styles.apply(number, alignment=CENTER_TOP, border=GRID)
        for col, text in enumerate(key, start=2):
            cell = ws.cell(row=row_index, column=col)
            styles.apply(cell, alignment=CENTER_TOP if col == measure_col else WRAP if col in wrapped else TOP,
                         border=GRID)
            if text:
                set_text(cell, text)
        for col in period_col.values():
            styles.apply(ws.cell(row=row_index, column=col), alignment=CENTER_TOP, border=GRID)
        notes = []
        unit, _kind, _category, label, measure = key
        for period, slot in cells[key].items():
            cell = ws.cell(row=row_index, column=period_col[period])
            figure = slot.figure
            if figure.how == "blank":
                cell.value = STATUS_BLANK
                styles.apply(cell, fill=YELLOW, alignment=CENTER_TOP, border=GRID)
                continue
            if figure.how in ("conflict", "several"):
                shown = "、".join(f"{_number_text(v, q)}{measure}" for v, q in figure.values)
                set_text(cell, figure.number_text())
                if figure.how == "conflict":
                    styles.apply(cell, fill=RED_FILL, font=RED_FONT, alignment=CENTER_TOP, border=GRID)
                    text = f"{period}前后不一致：报告中分别写了{shown}，请核对"
                    notes.append(text)
                    conflicts.append(f"{unit}{label}：{text}")
                else:
                    notes.append(f"{period}同一句中写了{shown}，是不同的事项，未合计")
            else:
                cell.value = figure.value
                if figure.qualifier:
                    styles.apply(cell, number_format=_number_format({figure.qualifier}), alignment=CENTER_TOP,
                                 border=GRID)
                if figure.how == "sum":
                    parts = "＋".join(f"{_number_text(v, q)}" for v, q, _w, _i in slot.stated if v is not None)
                    notes.append(f"{period}由{figure.added}条明细合计（{parts}）")
            if figure.blanks:
                notes.append(f"{period}另有{figure.blanks}项待填")
        # Does a larger period agree with the smaller ones inside it?
        for period in ordered_periods:
            whole = parsed[period]
            slot = cells[key].get(period)
            if whole is None or slot is None or slot.figure.value is None:
                continue
            year, parts, index = whole
            for finer in (KIND_HALF, KIND_QUARTER, KIND_MONTH):
                if finer <= parts or finer % parts:
                    continue
                step = finer // parts
                indices = list(range((index - 1) * step + 1, index * step + 1))
                pieces = [by_kind.get((year, finer, j)) for j in indices]
                slots = [cells[key].get(p) if p else None for p in pieces]
                if any(s is None or s.figure.value is None for s in slots):
                    continue
                total = sum(s.figure.value for s in slots)
                if total == slot.figure.value:
                    continue
                approx = bool(slot.figure.qualifier) or any(s.figure.qualifier for s in slots)
                diff = total - slot.figure.value
                text = (f"{period}：{_parts_label(finer, indices)}合计{_num(total)}{measure}，"
                        f"与{period_label(parts, index)}数{_num(slot.figure.value)}{measure}不一致"
                        f"（{'多' if diff > 0 else '少'}{_num(abs(diff))}{measure}）"
                        f"{'，其中含约数' if approx else ''}，请核对")
                notes.append(text)
                mismatches.append(f"{unit}{label}：{text}")
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
    tall = {SUMMARY_NOTE_HEADER: note_col, **{SUMMARY_HEADERS_START[c - 1]: c for c in wrapped}}
    set_row_heights(ws, tall, [(r, {h: cell_value(ws, r, c) for h, c in tall.items()}) for r in range(top, last + 1)],
                    wrapped=tuple(tall))
    print_setup(ws, HEADER_ROW, force=True)

    latest = _latest_period(ordered_periods)
    chart_items = _add_chart(wb, cells, ordered_keys, latest, path, who)
    return {"periods": ordered_periods, "latest_period": latest, "mismatches": mismatches,
            "conflicts": conflicts, "summary_rows": len(ordered_keys), "chart_items": chart_items}


def _activity_kinds() -> frozenset[str]:
    """指标 names whose figures count separate activities (stats.toml: consistency = false)."""
    return frozenset(k.name for k in kinds() if not k.consistency)


def _number_text(value, qualifier) -> str:
    return Figure(value, qualifier, "one").number_text()


def _latest_period(periods: list[str]) -> str | None:
    known = [p for p in periods if parse_period(p) is not None]
    if known:
        return max(known, key=period_sort_key)
    return periods[-1] if periods else None


ROW_CM = 0.53  # the height of a default row (15 pt)
PAGE_CM = 17.5  # what a chart may take of a landscape A4 page


def _is_our_chart_sheet(ws) -> bool:
    for r in range(1, ws.max_row + 1):
        first = plain(cell_value(ws, r, 1))
        if first == CHART_HEADERS[0]:
            row = [plain(cell_value(ws, r, c)) for c in range(2, ws.max_column + 1)]
            if row[:1] == [CHART_HEADERS[1]] or "计量单位" in row:
                return True
    return False


def _add_chart(wb, cells, keys, latest: str | None, path: Path, who: str | None = None) -> int:
    """The sheet 汇总图表, rebuilt each time: the latest period's figures as horizontal bar charts,
    one per measure word (次 and 人次 and 名 are never bars on one axis), each unit (and report type)
    a series of its own when there are several, fed by a small block under them. A sheet of its
    own so that it prints on its own pages, without the 汇总's repeated header row. Figures stated
    with different numbers (前后不一致) are not drawn; a line under the block says which."""
    index = wb.sheetnames.index(SUMMARY_SHEET) + 1
    if CHART_SHEET in wb.sheetnames:
        old = wb[CHART_SHEET]
        if not is_blank_sheet(old) and not _is_our_chart_sheet(old):
            raise LedgerError(
                f"无法更新台账{quoted(path)}：工作簿里已有一张名为“{CHART_SHEET}”的工作表，但它不是本程序生成的，"
                f"为免覆盖其中的内容，请把它改个名字后重试。", path)
        index = wb.sheetnames.index(CHART_SHEET)
        wb.remove(old)
    ws = wb.create_sheet(CHART_SHEET, index)
    title = ws.cell(row=TITLE_ROW, column=1)
    title.font = TITLE_FONT
    shown = [k for k in keys if latest is not None and latest in cells[k]]
    several_types = len({k[1] for k in shown}) > 1
    series: list[str] = []  # unit (· report type), in ledger order
    by_measure: dict[str, dict[str, dict[str, tuple]]] = {}  # measure -> label -> series -> (value, qualifier)
    undrawn: list[str] = []
    for key in shown:
        figure = cells[key][latest].figure
        unit, kind, _category, label, measure = key
        name = f"{unit}·{kind}" if several_types else unit
        if figure.value is None:
            if figure.how in ("conflict", "several"):
                undrawn.append(f"{name}·{label}（{figure.number_text()}{measure}，"
                               f"{'前后不一致' if figure.how == 'conflict' else '同一句中的几个数'}）")
            continue
        if name not in series:
            series.append(name)
        by_measure.setdefault(measure, {}).setdefault(label, {})[name] = (figure.value, figure.qualifier)
    if who is None:
        units = sorted({k[0] for k in shown})
        who = units[0] if len(units) == 1 else ""
    count = sum(len(v) for labels in by_measure.values() for v in labels.values())
    set_text(title, f"{who}{latest or ''}各项工作数量" if count else "台账中还没有可画图的数字")
    heads = [CHART_HEADERS[0], *(series if len(series) > 1 else [CHART_HEADERS[1]]), "计量单位"]
    # charts first, each on a page of its own, the numbers after them
    anchors, row = [], CHART_HEADER_ROW
    for labels in by_measure.values():
        bars = len(labels) * max(1, min(len(series), 4))
        height = min(PAGE_CM, 3.2 + 0.5 * bars)
        anchors.append((row, height))
        row += int(height / ROW_CM) + 2
    data_top = row + (1 if by_measure else 0)
    for col, text in enumerate(heads, start=1):
        cell = ws.cell(row=data_top, column=col)
        set_text(cell, text)
        set_style(cell, font=BOLD, fill=HEADER_FILL, border=GRID, alignment=HEADER_ALIGN)
    row = data_top + 1
    for n, (measure, labels) in enumerate(by_measure.items()):
        first = row
        for label, values in labels.items():
            cell = ws.cell(row=row, column=1)
            set_text(cell, label)
            cell.border, cell.alignment = GRID, WRAP
            for i, name in enumerate(series if len(series) > 1 else series[:1], start=2):
                number = ws.cell(row=row, column=i)
                number.border, number.alignment = GRID, CENTER_TOP
                if name in values:
                    number.value, qualifier = values[name]
                    number.number_format = _number_format({qualifier}) if qualifier else "0"
            unit_cell = ws.cell(row=row, column=len(heads))
            set_text(unit_cell, measure)
            unit_cell.border, unit_cell.alignment = GRID, CENTER_TOP
            row += 1
        chart = BarChart()
        chart.type = "bar"  # horizontal: long names read along their bars
        chart.style = 10
        chart.title = f"{latest}（计量单位：{measure}）"
        chart.y_axis.title = measure
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.x_axis.scaling.orientation = "maxMin"  # the first item at the top, as in the table
        chart.y_axis.crosses = "max"
        for i, name in enumerate(series if len(series) > 1 else series[:1], start=2):
            values = Series(Reference(ws, min_col=i, min_row=first, max_row=row - 1),
                            title=name if len(series) > 1 else None)
            chart.series.append(values)
        chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=row - 1))
        if len(series) > 1:
            chart.legend.position = "b"
        else:
            chart.legend = None
        top, height = anchors[n]
        chart.width, chart.height = 25.0, height
        ws.add_chart(chart, f"A{top}")
        if n:
            ws.row_breaks.append(Break(id=top - 1))
    if undrawn:
        note = ws.cell(row=row + 1, column=1)
        set_text(note, "未画入图表（报告中的数字有矛盾，请核对）：" + "；".join(undrawn) + "。")
        note.alignment = WRAP
        note.font = RED_FONT
        ws.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=len(heads))
        ws.row_dimensions[row + 1].height = 15 * (1 + len(undrawn))
    ws.column_dimensions["A"].width = 34
    for col in range(2, len(heads) + 1):
        width = max(10, min(20, display_width(heads[col - 1]) + 2))
        ws.column_dimensions[get_column_letter(col)].width = width
    landscape_a4_fit_to_width(ws)
    if by_measure:
        ws.row_breaks.append(Break(id=data_top - 1))  # the numbers on a page after the charts
    return count


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
