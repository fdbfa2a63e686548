"""The batch review workbook (总览, 明细, 台账), written in openpyxl's streaming mode.

明细 rows go to disk as each report arrives, so a thousand reports with tens of thousands of
findings never sit in memory as cells; 总览 and 台账 need every report before they can be sorted
and laid out, and keep only a few numbers per report until `finish`.
"""
from __future__ import annotations

import copy
import os
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.page import PageMargins

from core.check.checklist import declared_items
from core.check.compare import copied_share
from core.files.drafts import SaveError, save_with
from core.office.ledger import (
    display_width,
    looks_like_formula,
    period_sort_key,
    safe_text,
    set_style,
    set_text,
)
from core.review.reviews import (
    BatchError,
    ReportReview,
    cross_copies,
    refuse_unwritable_output,
    score_method,
    score_weights,
    timestamp,
)
from core.text.stats import kinds

OVERVIEW, DETAIL, LEDGER, METHOD = "总览", "明细", "台账", "评分办法"
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_BOLD = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=14)
_HEADER_FILL = PatternFill("solid", fgColor="FFDDEBF7")
_ERROR_FILL = PatternFill("solid", fgColor="FFFFC7CE")
_WARN_FILL = PatternFill("solid", fgColor="FFFFEB9C")
_UNREADABLE_FILL = PatternFill("solid", fgColor="FFD9D9D9")
_TOTAL_FILL = PatternFill("solid", fgColor="FFF2F2F2")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)
_THIN = Border(bottom=Side(style="thin", color="FF999999"))

OVERVIEW_COLUMNS = (  # (header, width)
    ("序号", 6), ("文件", 28), ("单位", 18), ("报告类型", 18), ("报告期", 14), ("字数", 8), ("得分", 7),
    ("错误", 6), ("警告", 6), ("缺少部分", 20), ("空白待填", 8), ("问题条数", 8), ("有措施回应", 10),
    ("与他份雷同", 10), ("雷同对象", 24), ("说明", 36))
COPY_SHARE_COLUMN = 14  # 与他份雷同: coloured past COPIED_SHARE
ANNOTATED_COLUMN = ("批注文件", 26)  # before 说明, when the batch writes annotated copies
_LINK_FONT = Font(color="FF0563C1", underline="single")
DETAIL_COLUMNS = (("文件", 26), ("单位", 16), ("行", 5), ("列", 5), ("级别", 6), ("检查项", 12),
                  ("说明", 52), ("原文", 36), ("修改建议", 16))  # 174 wide: fitted to A4 across at 8 pt or more


# Printing (the 通报's appendix): 总览 and 台账 are far wider than a page. Fitted to one page width
# they came out at 3.5 pt; printed at PRINT_SCALE % (11 pt → 8.8 pt) their columns run over
# several pages, each repeating the header rows and the columns that name the report.
PRINT_SCALE = 80
PRINT_MARGINS = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.7, header=0.3, footer=0.3)
PAGE_NUMBER_FOOTER = "第 &P 页，共 &N 页"


def _print_setup(ws, rows: str, columns: str | None) -> None:
    """Landscape A4 with page numbers; `columns` repeated on every page across (the sheet then
    prints at PRINT_SCALE), or, without, all columns fitted to one page width (明细, whose widths
    keep that at 8 pt or more)."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_margins = copy.copy(PRINT_MARGINS)
    ws.print_title_rows = rows
    ws.oddFooter.center.text = PAGE_NUMBER_FOOTER
    ws.oddFooter.center.size = 9
    if columns:
        ws.print_title_cols = columns
        ws.page_setup.scale = PRINT_SCALE
        ws.page_setup.pageOrder = "overThenDown"  # a report's row read across before the next rows
    else:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True


def check_target(path: Path) -> None:
    """Refuse before any work when the workbook could not be written afterwards."""
    refuse_unwritable_output(path, f"无法写入审查结果“{path}”：", ".xlsx", "结果只能保存为 .xlsx 格式的Excel工作簿。",
                             "Excel、WPS或LibreOffice")


def _group_columns() -> list[tuple[str, str]]:
    """(checklist id, title) of every group a report can have; comparison-only groups excluded."""
    return [(e.id, e.title) for e in declared_items() if not e.needs_previous]


class ReviewWorkbook:
    def __init__(self, root: Path, annotated: Path | None = None, links_from: Path | None = None):
        """`annotated`: the folder of annotated copies, linked from 总览 relative to the folder
        `links_from` (where the workbook is saved)."""
        self.root = root
        self.annotated = annotated
        self.links_from = links_from
        self.columns = OVERVIEW_COLUMNS if annotated is None else (
            *OVERVIEW_COLUMNS[:-1], ANNOTATED_COLUMN, OVERVIEW_COLUMNS[-1])
        self._copies: dict | None = None
        self._copies_for = -1
        self.wb = Workbook(write_only=True)
        self.overview = self.wb.create_sheet(OVERVIEW)
        self.detail = self.wb.create_sheet(DETAIL)
        self.ledger = self.wb.create_sheet(LEDGER)
        self.method = self.wb.create_sheet(METHOD)
        for ws, rows, columns in ((self.overview, "2:3", "A:C"), (self.detail, "1:1", None),
                                  (self.ledger, "2:3", "A:C")):
            _print_setup(ws, rows, columns)
        self.reviews: list[ReportReview] = []
        self.detail_rows = 0
        self._start_detail()

    # --- 明细, streamed ---------------------------------------------------------------------
    def _start_detail(self) -> None:
        ws = self.detail
        for i, (_h, width) in enumerate(DETAIL_COLUMNS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        ws.append([self._cell(ws, h, font=_BOLD, fill=_HEADER_FILL) for h, _w in DETAIL_COLUMNS])

    def add(self, review: ReportReview) -> None:
        ws = self.detail
        if review.error:
            ws.append(self._row(ws, [review.file, "", None, None, "错误", "无法读取", review.error, "", ""]))
            self.detail_rows += 1
        for line, column, severity, group, message, snippet, suggestion in review.findings:
            hint = None if suggestion is None else ("（删除）" if suggestion == "" else suggestion)
            ws.append(self._row(ws, [review.file, review.unit, line, column, severity, group, message, snippet, hint]))
            self.detail_rows += 1
        for note in review.notes:
            ws.append(self._row(ws, [review.file, review.unit, None, None, "提示", "未读入的内容", note, "", ""]))
            self.detail_rows += 1
        review.findings = []  # written; do not keep them
        self.reviews.append(review)

    @property
    def unreadable(self) -> int:
        return sum(1 for r in self.reviews if r.error)

    def _sorted(self) -> list[ReportReview]:
        # Worst first: unreadable, then by score, then by errors.
        return sorted(self.reviews, key=lambda r: (r.error is None, r.score if r.score is not None else -1,
                                                   -r.errors, -r.warnings, r.file))

    def copies(self) -> dict[int, tuple[float, int]]:
        """cross_copies of the reports so far (by index into `reviews`), computed once."""
        if self._copies is None or self._copies_for != len(self.reviews):
            self._copies = cross_copies(self.reviews)
            self._copies_for = len(self.reviews)
        return self._copies

    def worst(self, n: int) -> list[tuple[str, int | None]]:
        return [(r.file, r.score) for r in self._sorted()[:n]]

    # --- the cells ---------------------------------------------------------------------------
    @staticmethod
    def _cell(ws, value, *, font=None, fill=None, alignment=None, number_format=None):
        cell = WriteOnlyCell(ws)
        if isinstance(value, str):
            set_text(cell, value)  # report text is never a formula, whatever it starts with
        else:
            cell.value = value
        set_style(cell, font=font, fill=fill, alignment=alignment, number_format=number_format)
        return cell

    def _row(self, ws, values: list) -> list:
        # Plain values are cheapest; only text that looks like a formula needs a cell object.
        out = []
        for v in values:
            if isinstance(v, str):
                v = safe_text(v) or None
                if v is not None and looks_like_formula(v):
                    v = self._cell(ws, v)
            out.append(v)
        return out

    # --- 总览 and 台账, at the end -----------------------------------------------------------
    def finish(self, target: Path, *, total: int, cancelled: bool) -> None:
        self.detail.auto_filter.ref = f"A1:{get_column_letter(len(DETAIL_COLUMNS))}{max(2, self.detail_rows + 1)}"
        self._write_overview(total, cancelled)
        self._write_ledger()
        check_target(target)  # it may have been opened in Excel while we worked
        try:
            save_with(target, self.wb.save)
        except SaveError as exc:
            raise BatchError(f"无法写入审查结果“{target}”：{exc.reason}") from None
        except OSError as exc:  # openpyxl's own temporary files
            raise BatchError(f"无法写入审查结果“{target}”：写入临时文件失败（{exc.strerror or exc}）。") from None

    def _write_overview(self, total: int, cancelled: bool) -> None:
        ws = self.overview
        groups = _group_columns()
        base = len(self.columns)
        ncols = base + 2 * len(groups)
        for i, (_h, width) in enumerate(self.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        for j, (_gid, title) in enumerate(groups):
            for k in (0, 1):
                col = base + 1 + 2 * j + k
                ws.column_dimensions[get_column_letter(col)].width = max(5, display_width(title) / 2 + 1)
        ws.freeze_panes = "C4"

        state = (f"已取消：共{total}份，已审查{len(self.reviews)}份" if cancelled
                 else f"共{len(self.reviews)}份")
        heading = (f"报告批量审查结果（{self.root.name or self.root}，{timestamp()}，{state}，无法读取{self.unreadable}份；"
                   f"得分的算法见“{METHOD}”页）")
        ws.row_dimensions[1].height = TITLE_ROW_HEIGHT
        ws.row_dimensions[2].height = 2 * LINE_HEIGHT  # group titles wrap to two lines
        ws.append([self._cell(ws, heading, font=_TITLE_FONT)])
        ws.merged_cells.add(CellRange(min_col=1, min_row=1, max_col=min(ncols, 14), max_row=1))
        top = [self._cell(ws, h, font=_BOLD, fill=_HEADER_FILL, alignment=_CENTER) for h, _w in self.columns]
        sub = [self._cell(ws, None, fill=_HEADER_FILL) for _ in self.columns]
        for _gid, title in groups:
            top += [self._cell(ws, title, font=_BOLD, fill=_HEADER_FILL, alignment=_CENTER),
                    self._cell(ws, None, fill=_HEADER_FILL)]
            sub += [self._cell(ws, "错误", font=_BOLD, fill=_HEADER_FILL, alignment=_CENTER),
                    self._cell(ws, "警告", font=_BOLD, fill=_HEADER_FILL, alignment=_CENTER)]
        ws.append(top)
        ws.append(sub)
        for i in range(1, base + 1):
            ws.merged_cells.add(CellRange(min_col=i, min_row=2, max_col=i, max_row=3))
        for j in range(len(groups)):
            col = base + 1 + 2 * j
            ws.merged_cells.add(CellRange(min_col=col, min_row=2, max_col=col + 1, max_row=2))

        first = 4
        copies = self.copies()
        copied = {id(self.reviews[i]): (share, self.reviews[j].file) for i, (share, j) in copies.items()}
        for n, r in enumerate(self._sorted(), start=1):
            if r.error:
                row = [n, r.file] + [None] * (base - 3) + [f"无法读取：{r.error}"]
                ws.append([self._cell(ws, v, fill=_UNREADABLE_FILL) for v in row]
                          + [None] * (2 * len(groups)))
                continue
            note = "；".join(r.notes)
            row = [n, r.file, r.unit or (f"单位空白（{r.unit_blank}）" if r.unit_blank else "未注明单位"), r.type_name, r.period or "未注明", r.chars, r.score,
                   r.errors, r.warnings, "、".join(r.missing), r.blanks, r.problems]
            # names wrap in their column instead of running under the next one when printed
            cells = [self._cell(ws, v, alignment=_WRAP) if i in WRAPPED_OVERVIEW and v else v
                     for i, v in enumerate(self._row(ws, row))]
            share = r.answered_share
            cells.append(self._cell(ws, share, number_format="0%") if share is not None else None)
            copy_share, other = copied.get(id(r), (None, None))
            cells.append(self._cell(ws, copy_share, number_format="0%") if copy_share is not None else None)
            cells.append(self._cell(ws, other, alignment=_WRAP) if other else None)
            if self.annotated is not None:
                link = self._link(ws, r)
                cells.append(link)
                if r.annotate_error:
                    note = "；".join(filter(None, [note, f"未能写出批注文件：{r.annotate_error}"]))
                elif r.annotated and (link is None or link.hyperlink is None):
                    note = "；".join(filter(None, [note, "批注文件的文件名含控制字符，无法加链接，请在批注文件夹中查找"]))
            cells.append(self._cell(ws, note, alignment=_WRAP) if note else None)
            for gid, _title in groups:
                e, w = r.groups.get(gid, (0, 0))
                cells += [e or None, w or None]
            widths = [w for _h, w in self.columns]
            lines = max([1] + [_lines(str(c.value), widths[i]) for i, c in enumerate(cells[:len(widths)])
                               if hasattr(c, "alignment") and c.alignment.wrap_text and c.value])
            if lines > 1:  # a taller row: every value at its top, as the wrapped names are
                ws.row_dimensions[first + n - 1].height = LINE_HEIGHT * lines
                cells = [_top(ws, c) for c in cells]
            ws.append(cells)
        last = first + len(self.reviews) - 1
        if last >= first:
            self._colour_overview(ws, first, last, base, len(groups))
        self._write_method(dict(groups))

    def _write_method(self, titles: dict[str, str]) -> None:
        """How the score is made, on a sheet of its own (rows under 总览's table would be read,
        sorted and filtered as reports)."""
        ws = self.method
        ws.column_dimensions["A"].width = 110
        ws.append([self._cell(ws, "评分办法", font=_TITLE_FONT)])
        for line in score_method(titles):
            ws.append([self._cell(ws, line, alignment=_WRAP)])

    def _link(self, ws, r: ReportReview):
        """The annotated copy's name, linked by a path relative to the workbook, so the folder
        can be moved or shared as a whole."""
        if not r.annotated:
            return None
        target = self.annotated / r.annotated
        base = self.links_from or self.root
        try:
            href = Path(os.path.relpath(target, base)).as_posix()
        except ValueError:  # another drive on Windows: no relative path
            href = target.resolve().as_uri()
        if _XML_UNSAFE.search(href):
            # a link target cannot hold a control character; the whole workbook would fail to save
            return self._cell(ws, r.annotated)
        cell = self._cell(ws, r.annotated, font=_LINK_FONT)
        cell.hyperlink = href
        return cell

    @staticmethod
    def _colour_overview(ws, first: int, last: int, base: int, ngroups: int) -> None:
        w = score_weights()
        score_col = get_column_letter(7)
        ws.conditional_formatting.add(
            f"{score_col}{first}:{score_col}{last}",
            ColorScaleRule(start_type="num", start_value=w["poor"], start_color="FFF8696B",
                           mid_type="num", mid_value=w["fair"], mid_color="FFFFEB84",
                           end_type="num", end_value=100, end_color="FF63BE7B"))
        for col, fill in ((8, _ERROR_FILL), (9, _WARN_FILL), (11, _ERROR_FILL)):
            letter = get_column_letter(col)
            ws.conditional_formatting.add(f"{letter}{first}:{letter}{last}",
                                          CellIsRule(operator="greaterThan", formula=["0"], fill=fill))
        letter = get_column_letter(COPY_SHARE_COLUMN)
        ws.conditional_formatting.add(f"{letter}{first}:{letter}{last}",
                                      CellIsRule(operator="greaterThan", formula=[str(copied_share())], fill=_ERROR_FILL))
        if ngroups:
            errors = ",".join(f"{get_column_letter(base + 1 + 2 * j)}{first}:{get_column_letter(base + 1 + 2 * j)}{last}"
                              for j in range(ngroups))
            warnings = ",".join(f"{get_column_letter(base + 2 + 2 * j)}{first}:{get_column_letter(base + 2 + 2 * j)}{last}"
                                for j in range(ngroups))
            ws.conditional_formatting.add(errors.replace(",", " "),
                                          CellIsRule(operator="greaterThan", formula=["0"], fill=_ERROR_FILL))
            ws.conditional_formatting.add(warnings.replace(",", " "),
                                          CellIsRule(operator="greaterThan", formula=["0"], fill=_WARN_FILL))

    def _write_ledger(self) -> None:
        """One row per (item, measure word); the readable reports' columns grouped by 报告期, in
        order, with a 合计 for each period that has several reports. Figures of different periods
        are never added together (a quarter and a year, or two years, say different things)."""
        ws = self.ledger
        groups = _period_groups([r for r in self.reviews if not r.error])
        order = {k.id: (i, k.category) for i, k in enumerate(kinds())}
        columns: list[tuple[str, str, int | None]] = []  # (period label, header, report index or None: 合计)
        reports: list[ReportReview] = []
        for label, members, summable in groups:
            names = _column_names(members)
            for r, name in zip(members, names):
                columns.append((label, name, len(reports)))
                reports.append(r)
            if summable and len(members) > 1:
                columns.append((label, "合计", None))
        rows: dict[tuple[str, str], dict[int, tuple]] = {}
        names: dict[tuple[str, str], str] = {}
        for col, r in enumerate(reports):
            for kind, item, measure, value, qualifier, blank in r.totals:
                rows.setdefault((kind, measure), {})[col] = (value, qualifier, blank)
                names[(kind, measure)] = item
        keys = sorted(rows, key=lambda k: (order.get(k[0], (len(order), ""))[0], k[1]))

        for i, width in enumerate((12, 18, 8), start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        for j, (_label, name, _index) in enumerate(columns):
            ws.column_dimensions[get_column_letter(4 + j)].width = _ledger_width(name)
        ws.freeze_panes = "D4"
        ws.append([self._cell(ws, "各单位统计事项对照（按报告期分组，数字取自报告原文；“待填”为报告中留空的数字；"
                                  "合计只加同一报告期的数字）", font=_TITLE_FONT)])
        # Two header rows: the period over its group of columns, then the unit of each column.
        top = [self._cell(ws, h, font=_BOLD, fill=_HEADER_FILL, alignment=_CENTER) for h in ("类别", "指标", "计量单位")]
        sub = [self._cell(ws, None, fill=_HEADER_FILL) for _ in range(3)]
        previous = None
        for label, name, index in columns:
            top.append(self._cell(ws, label if label != previous else None, font=_BOLD, fill=_HEADER_FILL,
                                  alignment=_CENTER))
            sub.append(self._cell(ws, name if index is not None else f"{label}合计", font=_BOLD,
                                  fill=_TOTAL_FILL if index is None else _HEADER_FILL, alignment=_CENTER))
            previous = label
        ws.row_dimensions[1].height = TITLE_ROW_HEIGHT
        ws.row_dimensions[2].height = LINE_HEIGHT * max(
            [1] + [_lines(label, _ledger_width(name)) for label, name, _index in columns])
        ws.row_dimensions[3].height = LINE_HEIGHT * max(
            [1] + [_lines(f"{label}合计" if index is None else name, _ledger_width(name))
                   for label, name, index in columns])
        ws.append(top)
        ws.append(sub)
        for i in range(1, 4):
            ws.merged_cells.add(CellRange(min_col=i, min_row=2, max_col=i, max_row=3))
        start = 0
        for j in range(1, len(columns) + 1):
            if j == len(columns) or columns[j][0] != columns[start][0]:
                if j - 1 > start:
                    ws.merged_cells.add(CellRange(min_col=4 + start, min_row=2, max_col=4 + j - 1, max_row=2))
                start = j
        for key in keys:
            kind, measure = key
            category = order.get(kind, (0, "其他"))[1]
            cells = [category, names[key], measure]
            total, seen, group, qualifiers = 0, False, None, set()
            for label, _name, index in columns:
                if label != group:  # a new period: nothing added so far belongs to it
                    total, seen, group, qualifiers = 0, False, label, set()
                if index is None:  # the period's 合计: its own reports only; 60余 + 24 is 84余
                    cells.append(self._cell(ws, total, font=_BOLD, fill=_TOTAL_FILL,
                                            number_format=_qualified_format(_total_qualifier(qualifiers)))
                                 if seen else None)
                    continue
                entry = rows[key].get(index)
                if entry is None:
                    cells.append(None)
                    continue
                value, qualifier, blank = entry
                if value is None:
                    cells.append(self._cell(ws, "待填", fill=_WARN_FILL))
                    continue
                total += value
                seen = True
                if qualifier:
                    qualifiers.add(qualifier)
                fmt = _qualified_format(qualifier)
                cells.append(self._cell(ws, value, number_format=fmt) if fmt else value)
            ws.append(self._row(ws, cells[:3]) + cells[3:])


UNKNOWN_PERIOD = "未注明报告期"
TITLE_ROW_HEIGHT = 24  # points: the 14 pt title
LINE_HEIGHT = 15  # points: one line of 11 pt text
WRAPPED_OVERVIEW = (1, 2, 3, 9)  # 总览's 文件, 单位, 报告类型, 缺少部分 (0-based)


def _top(ws, value):
    """`value` (a plain value or a cell) aligned to the top of its cell."""
    if value is None:
        return None
    if not hasattr(value, "alignment"):
        value = ReviewWorkbook._cell(ws, value)
    value.alignment = Alignment(horizontal=value.alignment.horizontal, vertical="top",
                                wrap_text=value.alignment.wrap_text)
    return value


def _ledger_width(name: str) -> float:
    return max(10, min(24, display_width(name) / 2 + 2))


def _lines(text: str, width: float) -> int:
    """Lines `text` takes wrapped in a column `width` characters wide (a Chinese character is two)."""
    return max(1, -(-int(display_width(text)) // max(1, int(width) - 1)))


def _period_groups(reports: list[ReportReview]) -> list[tuple[str, list[ReportReview], bool]]:
    """(报告期, its reports by unit, whether they may be added up), in chronological order; reports
    whose period is unknown come last and are never added up (they may be of different periods)."""
    by_period: dict[str, list[ReportReview]] = {}
    for r in reports:
        by_period.setdefault(r.period or UNKNOWN_PERIOD, []).append(r)
    out = []
    for period in sorted(by_period, key=lambda p: (p == UNKNOWN_PERIOD, period_sort_key(p))):
        members = sorted(by_period[period], key=lambda r: (_unit_label(r), r.file))
        out.append((period, members, period != UNKNOWN_PERIOD))
    return out


def _unit_label(r: ReportReview) -> str:
    if r.unit:
        return r.unit
    if r.unit_blank:
        return f"单位空白（{r.unit_blank}）"
    return Path(r.file).stem


def _column_names(reports: list[ReportReview]) -> list[str]:
    """Column headers within one period: the unit; with the file's name when a unit repeats."""
    units = [_unit_label(r) for r in reports]
    return [u if units.count(u) == 1 else f"{u}（{Path(r.file).name}）" for u, r in zip(units, reports)]


_AT_LEAST = ("余", "多", "以上", "逾", "超过", "达")


def _total_qualifier(qualifiers: set[str]) -> str | None:
    """What a sum of qualified figures is: 60余 + 24 is 84余 (at least); 近60 + 24 is 约84."""
    if not qualifiers:
        return None
    if qualifiers <= set(_AT_LEAST):
        return "余"
    return "约"


def _qualified_format(qualifier: str | None) -> str | None:
    """60余次 stays 60 (a number Excel can add up) shown as 60余."""
    if not qualifier:
        return None
    if qualifier in ("近", "约", "逾", "超过", "达"):
        return f'"{qualifier}"0'
    return f'0"{qualifier}"'
