"""台账: keep a unit's countable items (党组会, 谈心谈话, 发展党员…) in an Excel workbook over time.

One workbook holds four sheets this module owns and any number of the user's own:

* **台账明细** – one row per countable item of one report (序号, 报告期, 单位, 类别, 指标, 数值, 计量单位,
  限定词, 状态, 原文, 位置), inside an Excel table named 台账明细表.
* **检查结果** – the report's findings (序号, 报告期, 单位, 检查项, 级别, 说明, 位置, 原文, 来源文件, 规则),
  table 检查结果表; 检查项 is the checklist's Chinese name, 规则 the rule id.
* **汇总** – derived: one row per kind of item, one column per 报告期 in chronological order, a 说明
  column, quarters (or halves, months) that do not add up to the larger period marked with a fill
  and a comment.
* **汇总图表** – derived: a bar chart of the latest period's counts and the numbers it draws, on a
  sheet of its own so that it prints on a page of its own.

Each sheet prints as an office ledger: a title row (单位 + 台账 + year) above the header row, borders,
wrapped 原文 and 说明, landscape A4 fitted to the page width with the header row repeated on every
page. Ledgers written before the title row existed keep their layout (header in row 1; the title
then goes into the printed page header) and their columns (序号 and 检查项 are added only to new ones).

Exporting a report adds its rows; exporting the same 单位 + 报告期 again replaces that report's rows
where they stand. Everything else in the workbook (other rows, the user's columns, sheets, formulas,
formatting, merged cells) is left as it was; rows that have to move follow Excel's own rules for
references to them. The workbook is written to a temporary file in the same folder and moved over
the target with ``os.replace``, so a failure never leaves a half-written ledger behind.
"""
from __future__ import annotations

import contextlib
import copy
import errno
import gc
import io
import os
import re
import secrets
import stat
import threading
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.formatting.rule import Rule
from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.table import Table, TableStyleInfo

from core import resources
from core.files.drafts import replace_with_retry

__all__ = [
    "DETAIL_SHEET", "SUMMARY_SHEET", "FINDINGS_SHEET", "CHART_SHEET", "EXPORT_STEPS", "DETAIL_HEADERS", "FINDINGS_HEADERS",
    "SUMMARY_KEY_HEADERS", "LedgerRow", "LedgerFinding", "LedgerReport", "LedgerError",
    "parse_period", "format_period", "period_sort_key", "export_ledger", "export_reports",
    "canonical_period", "LedgerPreview", "preview_ledger",
    "safe_text", "set_text", "display_width", "lock_file", "check_package", "os_reason",
]

# ---------------------------------------------------------------------------------------------
# Public data types
# ---------------------------------------------------------------------------------------------

DETAIL_SHEET = "台账明细"
SUMMARY_SHEET = "汇总"
FINDINGS_SHEET = "检查结果"
CHART_SHEET = "汇总图表"
CHART_HEADERS = ("项目", "数量")
CHART_HEADER_ROW = 2
_CHART_ROWS = 24  # rows the chart covers above its numbers
DETAIL_TABLE = "台账明细表"
FINDINGS_TABLE = "检查结果表"
DETAIL_HEADERS = ("序号", "报告期", "单位", "类别", "指标", "数值", "计量单位", "限定词", "状态", "原文", "位置")
FINDINGS_HEADERS = ("序号", "报告期", "单位", "检查项", "级别", "说明", "位置", "原文", "来源文件", "规则")
# Columns a ledger must have; the others were added later and are written only where they exist.
OPTIONAL_HEADERS = ("序号", "检查项")
SUMMARY_KEY_HEADERS = ("单位", "类别", "指标", "计量单位")
INDEX_HEADER = "序号"
SUMMARY_NOTE_HEADER = "说明"
STATUS_FILLED = "已填"
STATUS_BLANK = "待填"
UNKNOWN_UNIT = "未注明单位"
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
QUALIFIERS = ("余", "多", "近", "约", "以上")


@dataclass(frozen=True)
class LedgerRow:
    """One countable item of one report, as it goes into 台账明细."""

    period: str  # 报告期, e.g. "2023年第三季度", "2023年上半年", "2023年度"
    unit: str  # 单位 ("未注明单位" when unknown)
    category: str  # 类别, e.g. "组织建设"
    item: str  # 指标, e.g. "党组会（党委会）"
    value: int | None  # 数值; None when the report left it blank
    measure: str  # 计量单位: 次, 人次, 名…
    qualifier: str | None  # 限定词: 余, 多, 近, 约, 以上 or None
    source: str  # 原文: the sentence the number came from
    location: str  # 位置, e.g. "第12行第5列"


@dataclass(frozen=True)
class LedgerFinding:
    """One finding of the report's check, as it goes into 检查结果."""

    rule: str
    severity: str  # error / warning / info
    message: str
    location: str
    excerpt: str
    group: str = ""  # the checklist item's name (空白待填 …); looked up from the rule when empty


@dataclass(frozen=True)
class LedgerReport:
    """Everything one report contributes to a ledger (used by :func:`export_reports`)."""

    unit: str
    period: str
    rows: tuple[LedgerRow, ...] = ()
    findings: tuple[LedgerFinding, ...] = ()
    source_file: str = ""


class LedgerError(Exception):
    """A ledger could not be read or written; ``str(exc)`` is one Chinese sentence naming the file
    and the reason, fit to show to the user as it is."""

    def __init__(self, message: str, path: str | os.PathLike[str] | None = None):
        super().__init__(message)
        self.path = None if path is None else str(path)


# ---------------------------------------------------------------------------------------------
# 报告期
# ---------------------------------------------------------------------------------------------
#
# parse_period returns (year, parts, index): ``parts`` is how many such periods make up a year and
# ``index`` which one it is, 1-based. So 年度 is (y, 1, 1), 上半年 (y, 2, 1), 下半年 (y, 2, 2),
# 第三季度 (y, 4, 3) and 3月 (y, 12, 3). The months a period covers follow from that alone:
# (index - 1) * 12 // parts + 1 … index * 12 // parts, and a period (y, q, j) lies inside (y, p, i)
# whenever q is a multiple of p and j falls in the right block, which is what the 汇总 check of
# "do the quarters add up to the year" uses.

KIND_YEAR, KIND_HALF, KIND_QUARTER, KIND_MONTH = 1, 2, 4, 12
_CN_NUM = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_CN_ORDINAL = ("一", "二", "三", "四")
_NUM = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})"
_YEAR_RE = re.compile(r"^(\d{4}|[〇零一二三四五六七八九]{4})(.*)$")
_QUARTER_RE = re.compile(r"^(?:第?([一二三四1-4])季度?|[Qq]([1-4]))$")
_MONTH_RE = re.compile(rf"^({_NUM})月份?$")
_RANGE_RE = re.compile(rf"^({_NUM})月?[-－—–~～至到]({_NUM})月份?$")
_RANGE_KINDS = {(1, 12): (1, 1), (1, 6): (2, 1), (7, 12): (2, 2), (1, 3): (4, 1), (4, 6): (4, 2),
                (7, 9): (4, 3), (10, 12): (4, 4)}


def _small_int(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if text == "十":
        return 10
    if text.startswith("十") and len(text) == 2 and text[1] in _CN_NUM:
        return 10 + _CN_NUM[text[1]]
    if len(text) == 1 and text in _CN_NUM:
        return _CN_NUM[text]
    return None


def parse_period(period: str) -> tuple[int, int, int] | None:
    """Decompose a 报告期 into ``(year, parts, index)``; None when it is not one this knows.

    ``parts`` is how many such periods make a year (1 年度, 2 半年, 4 季度, 12 月) and ``index``
    which one (1-based): ``2023年第三季度`` → (2023, 4, 3), ``2023年上半年`` → (2023, 2, 1),
    ``2023年度`` / ``2023年`` / ``2023年全年`` → (2023, 1, 1), ``2023年3月`` → (2023, 12, 3).
    Also read: 三季度, 第3季度, Q3, 1-6月, 7—9月, full-width digits, 二〇二三年. Sort chronologically
    with :func:`period_sort_key`, and write the canonical form back with :func:`format_period`.
    """
    if not isinstance(period, str):
        return None
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", period))
    m = _YEAR_RE.match(text)
    if not m:
        return None
    year_text, rest = m.groups()
    year = int(year_text) if year_text.isdigit() else int("".join(str(_CN_NUM[c]) for c in year_text))
    if not 1900 <= year <= 2999:
        return None
    if rest.startswith("年"):
        rest = rest[1:]
    if rest in ("", "度", "年度", "全年", "全年度", "全年度的"):
        return year, KIND_YEAR, 1
    if rest in ("上半年", "上半年度", "上半"):
        return year, KIND_HALF, 1
    if rest in ("下半年", "下半年度", "下半"):
        return year, KIND_HALF, 2
    m = _QUARTER_RE.match(rest)
    if m:
        q = m.group(1) or m.group(2)
        return year, KIND_QUARTER, (_CN_ORDINAL.index(q) + 1) if q in _CN_ORDINAL else int(q)
    m = _MONTH_RE.match(rest)
    if m:
        month = _small_int(m.group(1))
        return (year, KIND_MONTH, month) if month and 1 <= month <= 12 else None
    m = _RANGE_RE.match(rest)
    if m:
        a, b = _small_int(m.group(1)), _small_int(m.group(2))
        if a is not None and a == b and 1 <= a <= 12:
            return year, KIND_MONTH, a
        kind = _RANGE_KINDS.get((a, b))
        if kind:
            return year, *kind
    return None


def format_period(year: int, parts: int, index: int) -> str:
    """The canonical 报告期 text of a :func:`parse_period` result: 2023年第三季度, 2023年上半年,
    2023年下半年, 2023年度, 2023年3月."""
    if parts == KIND_YEAR:
        return f"{year}年度"
    if parts == KIND_HALF:
        return f"{year}年{'上' if index == 1 else '下'}半年"
    if parts == KIND_QUARTER:
        return f"{year}年第{_CN_ORDINAL[index - 1]}季度"
    if parts == KIND_MONTH:
        return f"{year}年{index}月"
    raise ValueError(f"未知的报告期类型：{parts}")


def period_sort_key(period: str) -> tuple:
    """Chronological sort key: by year, then by the month the period ends in, the shorter period
    first when two end together (3月, 第一季度, 第二季度, 上半年, 第三季度, 第四季度, 下半年, 年度).
    Periods this cannot read sort after all others, by their text."""
    parsed = parse_period(period)
    if parsed is None:
        return (1, 0, 0, 0, str(period))
    year, parts, index = parsed
    return (0, year, index * 12 // parts, -parts, "")


def _canon_period(text: Any) -> str:
    text = _plain(text).strip()
    parsed = parse_period(text)
    return format_period(*parsed) if parsed else text


def _canon_unit(text: Any) -> str:
    text = _plain(text).strip()
    return text or UNKNOWN_UNIT


def _period_label(parts: int, index: int) -> str:
    """The part of a period's name after the year: 第三季度, 上半年, 3月, 年度."""
    return format_period(2000, parts, index)[5:] if parts != KIND_YEAR else "年度"


# ---------------------------------------------------------------------------------------------
# Cell helpers
# ---------------------------------------------------------------------------------------------

_FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r", "\n")
_MAX_CELL_TEXT = 32767
_BOLD = Font(bold=True)
_YELLOW = PatternFill(fill_type="solid", fgColor="FFFFF2CC")
_RED_FILL = PatternFill(fill_type="solid", fgColor="FFFFC7CE")
_RED_FONT = Font(color="FF9C0006")
_WRAP = Alignment(wrap_text=True, vertical="top")
_WRAP_CELL = Alignment(wrap_text=True)
_CENTER_CELL = Alignment(horizontal="center")
_CENTERED = ("级别",)  # a short word centred under its header (only where the rows are few)
_TOP = Alignment(vertical="top")
_CENTER_TOP = Alignment(horizontal="center", vertical="top")
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_TITLE_ALIGN = Alignment(horizontal="center", vertical="center")
_TITLE_FONT = Font(bold=True, size=16)
_HEADER_FILL = PatternFill(fill_type="solid", fgColor="FFDDEBF7")
_THIN = Side(style="thin", color="FF808080")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# Widths in Excel's character units, capped so that a landscape A4 page fitted to the width stays
# readable; long 原文 and 说明 wrap inside their column instead of running onto the next page.
_WIDTH_CAPS = {"原文": 50, "说明": 50, "位置": 13, "来源文件": 24, "规则": 12, "序号": 6, "检查项": 14}
_WRAPPED = ("原文", "说明", "来源文件", "规则", "检查项")
_DEFAULT_CAP = 24


def _plain(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def safe_text(value: Any) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", _plain(value))
    if len(text) > _MAX_CELL_TEXT:
        text = text[: _MAX_CELL_TEXT - 1] + "…"
    return text


def looks_like_formula(text: str) -> bool:
    """Text that openpyxl, or Excel when the user edits the cell, would take for a formula."""
    return text.startswith(_FORMULA_LEAD)


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


def _fit_widths(ws, columns: dict[str, int], rows: Iterable[dict[str, Any]], *, shrink: bool) -> None:
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
        cap = _WIDTH_CAPS.get(header, _DEFAULT_CAP)
        width = max(6, min(cap, need[header] + 2))
        letter = get_column_letter(col)
        current = dims[letter].width if letter in dims and dims[letter].width else None
        if shrink or current is None or width > current:
            dims[letter].width = width


class _Styles:
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


def _cell_value(ws, row: int, col: int) -> Any:
    cell = ws._cells.get((row, col))
    return None if cell is None else cell._value


def _header_map(ws, header_row: int = 1) -> dict[str, int]:
    found: dict[str, list[int]] = {}
    for (row, col), cell in ws._cells.items():
        if row == header_row and cell._value is not None:
            name = _plain(cell._value).strip()
            if name:
                found.setdefault(name, []).append(col)
    return {name: min(cols) for name, cols in found.items()}


_HEADER_SEARCH_ROWS = 3


def _find_header_row(ws, required: Sequence[str]) -> int | None:
    """The row (1 to 3) that holds every required header: 2 under a title row, 1 in ledgers made
    before there was one."""
    rows: dict[int, set[str]] = {}
    for (row, _col), cell in ws._cells.items():
        if row <= _HEADER_SEARCH_ROWS and cell._value is not None:
            rows.setdefault(row, set()).add(_plain(cell._value).strip())
    for row in sorted(rows):
        if all(h in rows[row] for h in required):
            return row
    return None


def _is_blank_sheet(ws) -> bool:
    return all(cell._value is None for cell in ws._cells.values()) and not ws.tables


def _as_number(value: Any) -> int | float | None:
    """数值 as typed by us or edited by the user: a number, or None for blank and anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = _plain(value).strip().replace(",", "")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d+", text):
        number = float(text)
        return int(number) if number.is_integer() else number
    return None


# ---------------------------------------------------------------------------------------------
# Faster loading of big ledgers
# ---------------------------------------------------------------------------------------------
#
# openpyxl writes every string inline (<is><t>…</t></is>) and reads each one back through its
# generic Serialisable machinery, which is the bulk of the time it takes to load a 10,000-row ledger.
# While a ledger loads, the worksheet parser takes a shortcut for the plain one-run case and leaves
# everything else (rich text, phonetic runs, formulas, other types) to openpyxl's own code, so the
# result is the same cell by cell.

_LOAD_LOCK = threading.Lock()


def _install_fast_inline_strings():
    try:
        from openpyxl.utils.cell import coordinate_to_tuple
        from openpyxl.worksheet import _reader as reader
        from openpyxl.xml.constants import SHEET_MAIN_NS

        original = reader.WorkSheetParser.parse_cell
        inline_tag, formula_tag = reader.INLINE_STRING, reader.FORMULA_TAG
        text_tag = "{%s}t" % SHEET_MAIN_NS
    except (ImportError, AttributeError):  # another openpyxl: just use its own parser
        return contextlib.nullcontext

    def parse_cell(self, element):
        if element.get("t") == "inlineStr" and element.find(formula_tag) is None:
            child = element.find(inline_tag)
            if child is not None and len(child) == 1 and child[0].tag == text_tag:
                coordinate = element.get("r")
                if coordinate:
                    row, column = coordinate_to_tuple(coordinate)
                    self.col_counter = column
                else:
                    self.col_counter += 1
                    row, column = self.row_counter, self.col_counter
                style_id = element.get("s", 0)
                if style_id:
                    style_id = int(style_id)
                return {"row": row, "column": column, "value": child[0].text or "",
                        "data_type": "s", "style_id": style_id}
        return original(self, element)

    @contextlib.contextmanager
    def patched():
        with _LOAD_LOCK:
            reader.WorkSheetParser.parse_cell = parse_cell
            try:
                yield
            finally:
                reader.WorkSheetParser.parse_cell = original

    return patched


_fast_inline_strings = _install_fast_inline_strings()

# A 10,000-row ledger is some 150,000 openpyxl objects. Python's cyclic garbage collector would
# walk all of them again and again while they are being created (about a third of the load time),
# and none of them is garbage until the export is over, so it waits until then. The workbook's
# cells are released by hand afterwards so reference counting frees them without a full collection.
_GC_LOCK = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextlib.contextmanager
def _gc_paused():
    global _gc_pauses, _gc_was_enabled
    with _GC_LOCK:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def _release(wb) -> None:
    """Drop the workbook's cells now (they point at their sheet, so they form cycles)."""
    if wb is None:
        return
    for ws in wb._sheets:
        cells = getattr(ws, "_cells", None)
        if cells:
            cells.clear()  # nothing else holds the cells: reference counting frees them at once


# ---------------------------------------------------------------------------------------------
# Reading the target
# ---------------------------------------------------------------------------------------------

def _q(path: Path) -> str:
    return f"“{path}”"


def lock_file(path: Path) -> Path | None:
    """The lock file next to a workbook that is open in an office program, if there is one:
    ``~$台账.xlsx`` from Excel and WPS, ``.~lock.台账.xlsx#`` from LibreOffice."""
    for name in ("~$" + path.name, f".~lock.{path.name}#"):
        lock = path.with_name(name)
        if lock.exists():
            return lock
    return None


def _check_writable(path: Path) -> None:
    folder = path.parent
    if path.is_dir():
        raise LedgerError(f"无法写入台账{_q(path)}：这是一个文件夹，不是Excel文件。", path)
    if path.suffix.lower() != ".xlsx":
        raise LedgerError(f"无法写入台账{_q(path)}：台账只能保存为 .xlsx 格式的Excel工作簿。", path)
    if not folder.is_dir():
        raise LedgerError(f"无法写入台账{_q(path)}：所在文件夹{_q(folder)}不存在。", path)
    lock = lock_file(path)
    if lock is not None:
        raise LedgerError(
            f"无法写入台账{_q(path)}：该文件正在Excel、WPS或LibreOffice中打开（发现锁定文件{_q(lock)}），"
            f"请先关闭它再导出；如果确实已经关闭，请删除这个锁定文件后重试。", path)
    if path.exists() and not os.access(path, os.W_OK):
        raise LedgerError(f"无法写入台账{_q(path)}：该文件是只读的，请取消只读属性或另选一个文件。", path)
    if not os.access(folder, os.W_OK):
        raise LedgerError(f"无法写入台账{_q(path)}：没有在文件夹{_q(folder)}中写入文件的权限。", path)


def check_package(path: Path, data: bytes) -> None:
    """Refuse what openpyxl would misread or silently drop: not a zip, bad CRC, missing sheets."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise LedgerError(f"无法读取台账{_q(path)}：这是加密的或旧版（.xls）的Excel文件，"
                          f"请在Excel中去掉密码或另存为 .xlsx 后再导出。", path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            bad = archive.testzip()
            if bad is not None:
                raise LedgerError(f"无法读取台账{_q(path)}：文件已损坏（其中的{bad}校验失败）。", path)
            if "[Content_Types].xml" not in names:
                raise LedgerError(f"无法读取台账{_q(path)}：工作簿缺少必要的组成部分"
                                  f"（[Content_Types].xml），文件可能已损坏。", path)
            from openpyxl.packaging.relationship import get_dependents
            from openpyxl.reader.excel import _find_workbook_part
            from openpyxl.packaging.manifest import Manifest
            from openpyxl.xml.functions import fromstring

            manifest = Manifest.from_tree(fromstring(archive.read("[Content_Types].xml")))
            part = _find_workbook_part(manifest)
            workbook = part.PartName[1:]
            if workbook not in names:
                raise LedgerError(f"无法读取台账{_q(path)}：工作簿缺少必要的组成部分（{workbook}），"
                                  f"文件可能已损坏。", path)
            folder, _, name = workbook.rpartition("/")
            rels_path = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
            if rels_path in names:
                for rel in get_dependents(archive, rels_path):
                    if rel.TargetMode == "External":
                        continue
                    if rel.Type.endswith(("/worksheet", "/chartsheet", "/styles")) and rel.target not in names:
                        raise LedgerError(f"无法读取台账{_q(path)}：工作簿缺少必要的组成部分"
                                          f"（{rel.target}），文件可能已损坏。", path)
    except LedgerError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        raise LedgerError(f"无法读取台账{_q(path)}：它不是有效的Excel工作簿（.xlsx），"
                          f"可能已损坏，或者只是把别的文件改成了 .xlsx 扩展名。", path) from None
    except Exception as exc:  # noqa: BLE001 - anything else in the package is damage too
        raise LedgerError(f"无法读取台账{_q(path)}：工作簿的结构无法识别，文件可能已损坏"
                          f"（{type(exc).__name__}）。", path) from None


def _load(path: Path):
    try:
        data = path.read_bytes()
    except PermissionError:
        raise LedgerError(f"无法读取台账{_q(path)}：没有读取这个文件的权限，"
                          f"或者它正被其他程序独占打开。", path) from None
    except OSError as exc:
        raise LedgerError(f"无法读取台账{_q(path)}：{os_reason(exc)}。", path) from None
    if not data:  # an empty file holds nothing to lose: start a new ledger in it
        return None
    check_package(path, data)
    try:
        with _fast_inline_strings():
            return openpyxl.load_workbook(io.BytesIO(data), rich_text=True, keep_links=True)
    except KeyError as exc:
        raise LedgerError(f"无法读取台账{_q(path)}：工作簿缺少必要的组成部分（{exc.args[0] if exc.args else ''}），"
                          f"文件可能已损坏。", path) from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        raise LedgerError(f"无法读取台账{_q(path)}：文件内容已损坏或不是Excel工作簿，无法打开"
                          f"（{type(exc).__name__}）。", path) from None


def os_reason(exc: OSError) -> str:
    reasons = {
        errno.ENOSPC: "磁盘空间不足",
        errno.EACCES: "没有权限",
        errno.EPERM: "没有权限",
        errno.EROFS: "磁盘或文件夹是只读的",
        errno.ENOENT: "文件或文件夹不存在",
        errno.ENAMETOOLONG: "文件路径太长",
        errno.EIO: "读写磁盘时出错",
    }
    if exc.errno in reasons:
        return reasons[exc.errno]
    return f"读写文件时出错（错误代码 {exc.errno or getattr(exc, 'winerror', '未知')}）"


# ---------------------------------------------------------------------------------------------
# Moving rows the way Excel would
# ---------------------------------------------------------------------------------------------

class _RowMap:
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


def _shift_reference(ref: str, rows: _RowMap) -> str:
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


def _shift_formula(formula: str, sheet_title: str, on_sheet: bool, rows: _RowMap) -> str:
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


def _shift_sqref(sqref: str, rows: _RowMap) -> str:
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


def _follow_moved_rows(wb, ws, rows: _RowMap) -> None:
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


# ---------------------------------------------------------------------------------------------
# One owned sheet: detail or findings
# ---------------------------------------------------------------------------------------------

@dataclass
class _Spec:
    name: str
    headers: tuple[str, ...]
    table: str
    title_word: str  # what the title row calls the sheet: 统计台账, 报告检查结果

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(h for h in self.headers if h not in OPTIONAL_HEADERS)


_DETAIL = _Spec(DETAIL_SHEET, DETAIL_HEADERS, DETAIL_TABLE, "全面从严治党统计台账")
_FINDINGS = _Spec(FINDINGS_SHEET, FINDINGS_HEADERS, FINDINGS_TABLE, "报告检查结果")
TITLE_ROW, HEADER_ROW = 1, 2  # in a ledger made now; older ones have their header in row 1


@dataclass
class _Sheet:
    """One of our sheets as found or made: where its header is and which of our columns it has."""

    ws: Any
    header_row: int
    columns: dict[str, int]  # our header -> column, only those the sheet has
    fresh: bool


def _detail_cells(row: LedgerRow, unit: str, period: str) -> dict[str, Any]:
    value = row.value
    if value is not None and not isinstance(value, bool):
        value = int(value)
    else:
        value = None
    return {"序号": None, "报告期": period, "单位": unit, "类别": row.category, "指标": row.item, "数值": value,
            "计量单位": row.measure, "限定词": row.qualifier or None,
            "状态": STATUS_FILLED if value is not None else STATUS_BLANK,
            "原文": row.source, "位置": row.location}


def _finding_cells(finding: LedgerFinding, unit: str, period: str, source_file: str) -> dict[str, Any]:
    return {"序号": None, "报告期": period, "单位": unit,
            "检查项": finding.group or _checklist_titles().get(finding.rule, finding.rule),
            "级别": SEVERITY_NAMES.get(finding.severity, finding.severity),
            "说明": finding.message, "位置": finding.location, "原文": finding.excerpt,
            "来源文件": source_file, "规则": finding.rule}


@resources.data_cache
def _checklist_titles() -> dict[str, str]:
    """Rule id -> the checklist item's Chinese name (resources/checklist.toml)."""
    return {rule: entry["title"] for entry in resources.load("checklist.toml").get("item", [])
            for rule in entry.get("rules", [])}


def _prepare_sheet(wb, spec: _Spec, path: Path, index: int) -> _Sheet:
    """Our sheet with its header row, found or made."""
    if spec.name in wb.sheetnames:
        ws = wb[spec.name]
        if not _is_blank_sheet(ws):
            header_row = _find_header_row(ws, spec.required)
            if header_row is None:
                found = _header_map(ws, 1)
                missing = [h for h in spec.required if h not in found]
                raise LedgerError(
                    f"无法更新台账{_q(path)}：工作表“{spec.name}”的表头缺少“{'”“'.join(missing)}”列，"
                    f"可能被改动过或不是本程序生成的，请恢复表头或换一个台账文件。", path)
            found = _header_map(ws, header_row)
            return _Sheet(ws, header_row, {h: found[h] for h in spec.headers if h in found}, False)
    else:
        ws = wb.create_sheet(spec.name, min(index, len(wb.sheetnames)))
    columns = {h: i for i, h in enumerate(spec.headers, start=1)}
    _write_header(ws, HEADER_ROW, columns)
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=len(spec.headers))
    title = ws.cell(row=TITLE_ROW, column=1)
    title.font, title.alignment = _TITLE_FONT, _TITLE_ALIGN
    ws.row_dimensions[TITLE_ROW].height = 30
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    return _Sheet(ws, HEADER_ROW, columns, True)


def _write_header(ws, row: int, columns: dict[str, int]) -> None:
    for header, col in columns.items():
        cell = ws.cell(row=row, column=col, value=header)
        cell.data_type = "s"
        set_style(cell, font=_BOLD, fill=_HEADER_FILL, alignment=_HEADER_ALIGN, border=_GRID)


def _write_row(ws, r: int, columns: dict[str, int], values: dict[str, Any], styles: _Styles) -> None:
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
            styles.apply(cell, number_format="0", fill=_YELLOW if blank else None, alignment=_CENTER_CELL)
            continue
        if header in _WRAPPED:
            styles.apply(cell, alignment=_WRAP_CELL)
        elif header == INDEX_HEADER or (header in _CENTERED and value is not None):
            styles.apply(cell, alignment=_CENTER_CELL)
        elif blank and header == "状态":
            styles.apply(cell, fill=_YELLOW)
        if value is not None:
            set_text(cell, value)  # after the style: it may add a quote prefix


@dataclass
class _Merged:
    written: int
    replaced: int
    last_row: int  # the last data row (the header row when there is none)
    data_rows: list[int]  # every data row, top to bottom, as the sheet now stands
    keys: set[tuple[str, str]]  # every (报告期, 单位) in the sheet
    new_rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (row, values) written now


def _merge_rows(wb, ws, columns: dict[str, int], replace: dict[tuple[str, str], list[dict[str, Any]]],
                order: list[tuple[str, str]], header_row: int = 1) -> _Merged:
    """Put each report's rows in: in place of that 单位 + 报告期's old rows, or after the last row.

    Rows that do not belong to a replaced report keep their order, cells and formatting; when they
    have to move, references to them follow (see :func:`_follow_moved_rows`). The first run of a
    report's old rows is reused slot by slot, so a user's own formula beside a replaced row still
    points at its row.
    """
    pcol, ucol = columns["报告期"], columns["单位"]
    keys: dict[int, tuple[str, str]] = {}
    canon_cache: dict[Any, str] = {}
    for (r, c), cell in ws._cells.items():
        if r > header_row and c in (pcol, ucol) and cell._value is not None:
            keys.setdefault(r, None)
    last_data = max(keys, default=header_row)
    for r in keys:
        period, unit = _cell_value(ws, r, pcol), _cell_value(ws, r, ucol)
        if period not in canon_cache:
            canon_cache[period] = _canon_period(period)
        keys[r] = (canon_cache[period], _canon_unit(unit))
    occupied = [r for r, _ in ws._cells] + list(ws.row_dimensions.keys())
    old_last = max(occupied, default=header_row)
    top = header_row + 1

    # The new order from the first row that changes: (old row this position inherits, payload).
    entries: list[tuple[int | None, dict[str, Any] | None]] = []
    deleted: set[int] = set()
    done: set[tuple[str, str]] = set()
    replaced = 0
    first = None
    r = top

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
                replaced += 1
                r += 1
                continue
            run = [r]
            while run[-1] + 1 <= last_data and keys.get(run[-1] + 1) == key:
                run.append(run[-1] + 1)
            payloads = replace[key]
            entries.extend((run[i] if i < len(run) else None, p) for i, p in enumerate(payloads))
            deleted.update(run[len(payloads):])
            replaced += len(run)
            done.add(key)
            r = run[-1] + 1
            continue
        entries.append((r, None))
        r += 1
    append_new()

    written = sum(len(replace[k]) for k in order)
    all_keys = set(keys.values()) | set(order)
    if first is None:
        return _Merged(written, replaced, last_data, sorted(keys), all_keys)
    moved: dict[int, int | None] = {old: None for old in deleted}
    for pos, (old, _payload) in enumerate(entries, start=top):
        if old is not None:
            moved[old] = pos
    new_last = len(entries) + header_row
    rows = _RowMap(first, old_last, moved, new_last - old_last if old_last >= first else 0)

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
        _follow_moved_rows(wb, ws, rows)

    styles = _Styles(ws)
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
    return _Merged(written, replaced, max(data_end, header_row), data_rows, all_keys, new_rows)


_LINE_PT = 15.0  # one line of 11 pt text, CJK fonts included


def _row_height(ws, columns: dict[str, int], values: dict[str, Any]) -> float | None:
    """The height that shows every line of the wrapped cells of a row; None for one line.
    Set explicitly: LibreOffice (and Excel, for rows it did not lay out itself) would otherwise
    print a wrapped cell cut to one line."""
    lines = 1
    for header in _WRAPPED:
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


def _set_row_heights(ws, columns: dict[str, int], rows: list[tuple[int, dict[str, Any]]]) -> None:
    for r, values in rows:
        height = _row_height(ws, columns, values)
        if height is not None:
            ws.row_dimensions[r].height = height
        elif r in ws.row_dimensions and ws.row_dimensions[r].customHeight:
            ws.row_dimensions[r].height = None  # a replaced row that was tall before


def _number_rows(ws, col: int | None, data_rows: list[int]) -> None:
    """序号 1, 2, 3 … down the data rows (rewritten each time: rows come and go)."""
    if col is None:
        return
    cells = ws._cells
    styles = _Styles(ws)
    for n, r in enumerate(data_rows, start=1):
        cell = cells.get((r, col))
        if cell is None:
            cell = ws.cell(row=r, column=col)
            styles.apply(cell, alignment=_CENTER_CELL)
        elif isinstance(cell, MergedCell):
            continue
        if cell._value != n:
            cell._value = n
            cell.data_type = "n"


_GRID_FORMULA = re.compile(r"^LEN\(\$[A-Z]{1,3}\d+\)>0$")


def _grid(ws, columns: dict[str, int], header_row: int, last_row: int) -> None:
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
                                             dxf=DifferentialStyle(border=_GRID)))


def _ledger_title(keys: Iterable[tuple[str, str]], word: str) -> str:
    """单位 + 台账 + year: 市审计局全面从严治党统计台账（2024年）; several units or years say so."""
    units: list[str] = []
    years: set[int] = set()
    for period, unit in sorted(keys, key=lambda k: period_sort_key(k[0])):
        if unit not in units:
            units.append(unit)
        parsed = parse_period(period)
        if parsed:
            years.add(parsed[0])
    who = units[0] if len(units) == 1 else f"{units[0]}等{len(units)}个单位" if units else ""
    when = ""
    if years:
        low, high = min(years), max(years)
        when = f"（{low}年）" if low == high else f"（{low}—{high}年）"
    return f"{who}{word}{when}"


def _set_title(ws, header_row: int, title: str) -> None:
    """The title row of a ledger that has one; in an older ledger, the printed page header."""
    if header_row > TITLE_ROW:
        cell = ws._cells.get((TITLE_ROW, 1))
        if cell is None or not isinstance(cell, MergedCell):
            set_text(ws.cell(row=TITLE_ROW, column=1), title)
    else:
        ws.oddHeader.center.text = title.replace("&", "&&")
        ws.oddHeader.center.size = 14


def _print_setup(ws, header_row: int, *, force: bool) -> None:
    """Landscape A4, fitted to the page width, the header row on every page, page numbers below.
    Done once: a ledger the user has set up for printing keeps the user's settings."""
    if not force and ws.print_title_rows:
        return
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.6
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9


def _update_table(wb, ws, spec: _Spec, last_row: int, ncols: int, header_row: int = 1) -> str:
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


# ---------------------------------------------------------------------------------------------
# 汇总
# ---------------------------------------------------------------------------------------------

def _parts_label(parts: int, indices: list[int]) -> str:
    if parts == KIND_HALF:
        return "上半年与下半年"
    first, last = _period_label(parts, indices[0]), _period_label(parts, indices[-1])
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
    from core.text.stats import kinds

    return frozenset(k.name for k in kinds() if not k.consistency)


SUMMARY_HEADERS_START = (INDEX_HEADER, *SUMMARY_KEY_HEADERS)


def _is_our_summary(ws) -> bool:
    if _is_blank_sheet(ws):
        return True
    old = tuple(_plain(_cell_value(ws, 1, c)).strip() for c in range(1, 5))
    new = tuple(_plain(_cell_value(ws, HEADER_ROW, c)).strip() for c in range(1, 6))
    return old == SUMMARY_KEY_HEADERS or new == SUMMARY_HEADERS_START


def _build_summary(wb, detail, columns: dict[str, int], last_row: int, path: Path,
                   header_row: int = 1) -> dict[str, Any]:
    """Rebuild 汇总 from 台账明细 as it now stands (the user's edits there included)."""
    index = None
    if SUMMARY_SHEET in wb.sheetnames:
        old = wb[SUMMARY_SHEET]
        if not _is_our_summary(old):
            raise LedgerError(
                f"无法更新台账{_q(path)}：工作簿里已有一张名为“{SUMMARY_SHEET}”的工作表，但它不是本程序生成的，"
                f"为免覆盖其中的内容，请把它改个名字后重试。", path)
        index = wb.sheetnames.index(SUMMARY_SHEET)
        selected = old.sheet_view.tabSelected
        wb.remove(old)
    else:
        selected = False
        index = wb.sheetnames.index(detail.title) + 1
    ws = wb.create_sheet(SUMMARY_SHEET, index)
    ws.sheet_view.tabSelected = selected
    styles = _Styles(ws)

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
        item = _plain(item_cell._value).strip() if item_cell is not None else ""
        if not item:
            continue
        pv = get((r, c["报告期"]))
        period = _canon_period(pv._value if pv is not None else "")
        if not period:
            continue
        unit = _canon_unit(_cell_value(detail, r, c["单位"]))
        key = (unit, _plain(_cell_value(detail, r, c["类别"])).strip(), item,
               _plain(_cell_value(detail, r, c["计量单位"])).strip())
        unit_rank.setdefault(unit, len(unit_rank))
        key_rank.setdefault(key, len(key_rank))
        if period not in periods:
            periods[period] = period_sort_key(period)
        slot = cells.setdefault(key, {}).setdefault(period, [None, set(), 0, 0])
        number = _as_number(_cell_value(detail, r, c["数值"]))
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
            qualifier = _plain(_cell_value(detail, r, c["限定词"])).strip()
            if qualifier:
                slot[1].add(qualifier)
    ordered_periods = sorted(periods, key=lambda p: periods[p])
    ordered_keys = sorted(cells, key=lambda k: (unit_rank[k[0]], key_rank[k]))

    headers = [*SUMMARY_HEADERS_START, *ordered_periods, SUMMARY_NOTE_HEADER]
    ncols = len(headers)
    note_col = ncols
    top = HEADER_ROW + 1
    _write_header(ws, HEADER_ROW, {h: i for i, h in enumerate(headers, start=1)})
    ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=ncols)
    title = ws.cell(row=TITLE_ROW, column=1)
    set_text(title, _ledger_title({(p, k[0]) for k in cells for p in cells[k]}, "全面从严治党统计台账汇总"))
    title.font, title.alignment = _TITLE_FONT, _TITLE_ALIGN
    ws.row_dimensions[TITLE_ROW].height = 30
    ws.freeze_panes = f"F{top}"

    period_col = {p: len(SUMMARY_HEADERS_START) + 1 + i for i, p in enumerate(ordered_periods)}
    parsed = {p: parse_period(p) for p in ordered_periods}
    by_kind = {v: p for p, v in parsed.items() if v is not None}
    mismatches: list[str] = []
    for row_index, key in enumerate(ordered_keys, start=top):
        number = ws.cell(row=row_index, column=1, value=row_index - top + 1)
        styles.apply(number, alignment=_CENTER_TOP, border=_GRID)
        for col, text in enumerate(key, start=2):
            cell = ws.cell(row=row_index, column=col)
            styles.apply(cell, alignment=_CENTER_TOP if col == 5 else _TOP, border=_GRID)
            if text:
                set_text(cell, text)
        for col in period_col.values():
            styles.apply(ws.cell(row=row_index, column=col), alignment=_CENTER_TOP, border=_GRID)
        notes = []
        for period, slot in cells[key].items():
            cell = ws.cell(row=row_index, column=period_col[period])
            total, qualifiers, count, blanks = slot
            if total is None:
                cell.value = STATUS_BLANK
                styles.apply(cell, fill=_YELLOW, alignment=_CENTER_TOP, border=_GRID)
                continue
            cell.value = total
            if qualifiers:
                styles.apply(cell, number_format=_number_format(qualifiers), alignment=_CENTER_TOP, border=_GRID)
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
                        f"与{_period_label(parts, index)}数{_num(slot[0])}{measure}不一致"
                        f"（{'多' if diff > 0 else '少'}{_num(abs(diff))}{measure}）"
                        f"{'，其中含约数' if approx else ''}，请核对")
                notes.append(text)
                mismatches.append(f"{unit}{item}：{text}")
                cell = ws.cell(row=row_index, column=period_col[period])
                styles.apply(cell, number_format=cell.number_format, fill=_RED_FILL, font=_RED_FONT,
                             alignment=_CENTER_TOP, border=_GRID)
                comment_text = (cell.comment.text + "\n" if cell.comment else "") + text + "。"
                cell.comment = Comment(comment_text, "主体责任报告助手", width=260, height=110)
        note = ws.cell(row=row_index, column=note_col)
        styles.apply(note, alignment=_WRAP, border=_GRID,
                     font=_RED_FONT if any("不一致" in n for n in notes) else None)
        if notes:
            set_text(note, "；".join(notes) + "。")
    last = len(ordered_keys) + HEADER_ROW
    _fit_widths(ws, {h: i for i, h in enumerate(SUMMARY_HEADERS_START, start=1)},
                [dict(zip(SUMMARY_KEY_HEADERS, k)) for k in ordered_keys], shrink=True)
    for p, col in period_col.items():
        ws.column_dimensions[get_column_letter(col)].width = max(10, display_width(p) + 2)
    notes_width = max((display_width(_plain(_cell_value(ws, r, note_col))) for r in range(top, last + 1)),
                      default=0)
    ws.column_dimensions[get_column_letter(note_col)].width = max(8, min(_WIDTH_CAPS["说明"], notes_width + 2))
    _set_row_heights(ws, {SUMMARY_NOTE_HEADER: note_col},
                     [(r, {SUMMARY_NOTE_HEADER: _cell_value(ws, r, note_col)}) for r in range(top, last + 1)])
    _print_setup(ws, HEADER_ROW, force=True)

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
        ours = any((_plain(_cell_value(old, r, 1)), _plain(_cell_value(old, r, 2))) == CHART_HEADERS
                   for r in range(1, CHART_HEADER_ROW + _CHART_ROWS + 1))
        if not _is_blank_sheet(old) and not ours:
            raise LedgerError(
                f"无法更新台账{_q(path)}：工作簿里已有一张名为“{CHART_SHEET}”的工作表，但它不是本程序生成的，"
                f"为免覆盖其中的内容，请把它改个名字后重试。", path)
        index = wb.sheetnames.index(CHART_SHEET)
        wb.remove(old)
    ws = wb.create_sheet(CHART_SHEET, index)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 10
    title = ws.cell(row=TITLE_ROW, column=1)
    title.font = _TITLE_FONT
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
        data_top = CHART_HEADER_ROW + _CHART_ROWS
        # the chart at the top of the page, its numbers under it
        ws.add_chart(chart, f"A{CHART_HEADER_ROW}")
    for col, text in enumerate(CHART_HEADERS, start=1):
        cell = ws.cell(row=data_top, column=col, value=text)
        set_style(cell, font=_BOLD, fill=_HEADER_FILL, border=_GRID, alignment=_HEADER_ALIGN)
    for i, (label, value) in enumerate(items, start=data_top + 1):
        cell = ws.cell(row=i, column=1)
        set_text(cell, label)
        cell.border = _GRID
        number = ws.cell(row=i, column=2, value=value)
        number.number_format, number.border, number.alignment = "0", _GRID, _CENTER_TOP
    if items:
        end = data_top + len(items)
        chart.add_data(Reference(ws, min_col=2, min_row=data_top, max_row=end), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=data_top + 1, max_row=end))
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    if items:
        ws.row_breaks.append(Break(id=data_top - 1))  # the chart alone on the first page
    return len(items)



# ---------------------------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------------------------

def _save_atomically(wb, path: Path, existed: bool) -> None:
    folder = path.parent
    tmp = None
    try:
        for _attempt in range(20):
            candidate = folder / f".{path.stem}.{secrets.token_hex(4)}.tmp.xlsx"
            try:
                fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            except FileExistsError:
                continue
            tmp = candidate
            break
        else:
            raise LedgerError(f"无法写入台账{_q(path)}：无法在所在文件夹中创建临时文件。", path)
        with os.fdopen(fd, "wb") as handle:
            wb.save(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if existed:
            with contextlib.suppress(OSError):
                os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        if lock_file(path) is not None:  # opened in Excel while we were working
            raise LedgerError(f"无法写入台账{_q(path)}：该文件刚刚在Excel、WPS或LibreOffice中被打开，请关闭后重试。", path)
        replace_with_retry(tmp, path)
        tmp = None
    except LedgerError:
        raise
    except PermissionError:
        raise LedgerError(f"无法写入台账{_q(path)}：文件正被其他程序（如Excel、WPS）占用，或没有写入权限，"
                          f"请关闭打开它的程序后重试。", path) from None
    except OSError as exc:
        raise LedgerError(f"无法写入台账{_q(path)}：{os_reason(exc)}，原文件未改动。", path) from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.remove(tmp)


# ---------------------------------------------------------------------------------------------
# The entry points
# ---------------------------------------------------------------------------------------------

def export_ledger(path: str | os.PathLike[str], rows: list[LedgerRow], findings: list[LedgerFinding], *,
                  unit: str, period: str, source_file: str = "", progress=None) -> dict:
    """Add one report's rows and findings to the ledger workbook at ``path`` (created if missing).

    ``unit`` and ``period`` name the report (they are written to every row, whatever the rows
    themselves say); rows already in the ledger for the same 单位 + 报告期 are replaced, in
    台账明细 and in 检查结果 alike. Raises :class:`LedgerError` when the file cannot be read or
    written; the file is then exactly as it was. Returns a summary, see :func:`export_reports`.
    """
    report = LedgerReport(unit=unit, period=period, rows=tuple(rows), findings=tuple(findings),
                          source_file=source_file)
    return export_reports(path, [report], progress=progress)


EXPORT_STEPS = ("读取台账", "写入台账明细", "生成汇总", "写入检查结果", "保存台账")


def export_reports(path: str | os.PathLike[str], reports: Iterable[LedgerReport], *, progress=None) -> dict:
    """Add several reports to one ledger in a single write (batch mode; one report: same as
    :func:`export_ledger`). A later report with the same 单位 + 报告期 wins over an earlier one.
    ``progress(step, total, label)``, when given, is called before each of :data:`EXPORT_STEPS`.

    Returns ``{"path", "created", "rows_written", "rows_replaced", "findings_written",
    "findings_replaced", "sheets", "detail_sheet", "summary_sheet", "findings_sheet", "tables",
    "periods", "latest_period", "mismatches", "summary_rows", "chart_items"}``.
    """
    target = Path(os.fspath(path))
    detail_batch: dict[tuple[str, str], list[dict[str, Any]]] = {}
    finding_batch: dict[tuple[str, str], list[dict[str, Any]]] = {}
    order: list[tuple[str, str]] = []
    for report in reports:
        period = _canon_period(report.period)
        if not period:
            raise ValueError("报告期不能为空")
        unit = _canon_unit(report.unit)
        key = (period, unit)
        if key in detail_batch:
            order.remove(key)
        order.append(key)
        detail_batch[key] = [_detail_cells(row, unit, period) for row in report.rows]
        finding_batch[key] = [_finding_cells(f, unit, period, report.source_file) for f in report.findings]

    def step(i: int) -> None:
        if progress is not None:
            progress(i, len(EXPORT_STEPS), EXPORT_STEPS[i])

    _check_writable(target)
    wb = None
    with _gc_paused():
        try:
            step(0)
            wb = _load(target) if target.exists() else None
            created = wb is None
            if created:
                wb = openpyxl.Workbook()
                wb.active.title = DETAIL_SHEET
            return _export_into(wb, created, target, order, detail_batch, finding_batch, step)
        finally:
            _release(wb)


def _fill_owned_sheet(wb, spec: _Spec, target: Path, index: int, batch, order) -> tuple[_Sheet, _Merged, str]:
    sheet = _prepare_sheet(wb, spec, target, index)
    ws, hr, columns = sheet.ws, sheet.header_row, sheet.columns
    _fit_widths(ws, columns, (p for k in order for p in batch[k]), shrink=sheet.fresh)
    merged = _merge_rows(wb, ws, columns, batch, order, hr)
    _set_row_heights(ws, columns, merged.new_rows)
    table = _update_table(wb, ws, spec, merged.last_row, max(columns.values()), hr)
    _grid(ws, columns, hr, merged.last_row)
    _number_rows(ws, columns.get(INDEX_HEADER), merged.data_rows)
    _set_title(ws, hr, _ledger_title(merged.keys, spec.title_word))
    _print_setup(ws, hr, force=sheet.fresh)
    return sheet, merged, table


def _export_into(wb, created: bool, target: Path, order, detail_batch, finding_batch, step) -> dict:
    step(1)
    detail, dmerged, dtable = _fill_owned_sheet(wb, _DETAIL, target, 0, detail_batch, order)
    step(2)
    summary_info = _build_summary(wb, detail.ws, detail.columns, dmerged.last_row, target, detail.header_row)
    step(3)
    findings_index = wb.sheetnames.index(CHART_SHEET) + 1
    _fsheet, fmerged, ftable = _fill_owned_sheet(wb, _FINDINGS, target, findings_index, finding_batch, order)
    if created:
        wb.active = 0
    step(4)
    _save_atomically(wb, target, existed=not created)
    return {
        "path": str(target),
        "created": created,
        "rows_written": dmerged.written,
        "rows_replaced": dmerged.replaced,
        "findings_written": fmerged.written,
        "findings_replaced": fmerged.replaced,
        "sheets": list(wb.sheetnames),
        "detail_sheet": DETAIL_SHEET,
        "summary_sheet": SUMMARY_SHEET,
        "findings_sheet": FINDINGS_SHEET,
        "chart_sheet": CHART_SHEET,
        "tables": {DETAIL_SHEET: dtable, FINDINGS_SHEET: ftable},
        **summary_info,
    }


# ---------------------------------------------------------------------------------------------
# Looking before writing
# ---------------------------------------------------------------------------------------------

def canonical_period(text: str) -> str | None:
    """报告期 as the ledger writes it (2023年第3季度 → 2023年第三季度); None when it is not one."""
    parsed = parse_period(text or "")
    return format_period(*parsed) if parsed else None


@dataclass(frozen=True)
class LedgerPreview:
    """What a ledger already holds, read before an export so the user can be told what it will do."""

    exists: bool  # False: the export makes a new workbook
    rows: dict[tuple[str, str], int]  # (报告期, 单位) -> rows in 台账明细
    problem: str | None = None  # why the export would be refused (open in Excel, read-only …)

    def replaced(self, unit: str, period: str) -> int:
        return self.rows.get((_canon_period(period), _canon_unit(unit)), 0)

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def preview_ledger(path: str | os.PathLike[str]) -> LedgerPreview:
    """The rows per 单位 + 报告期 of the ledger at ``path``, read without changing it (read-only
    mode: fast, and light on memory). Raises :class:`LedgerError` when it cannot be read."""
    target = Path(os.fspath(path))
    problem = None
    try:
        _check_writable(target)
    except LedgerError as exc:
        problem = str(exc)
    if not target.exists() or target.is_dir():
        return LedgerPreview(False, {}, problem)
    try:
        data = target.read_bytes()
    except OSError as exc:
        raise LedgerError(f"无法读取台账{_q(target)}：{os_reason(exc)}。", target) from None
    if not data:
        return LedgerPreview(False, {}, problem)
    check_package(target, data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception as exc:  # noqa: BLE001 - damaged files raise many kinds
        raise LedgerError(f"无法读取台账{_q(target)}：文件内容已损坏或不是Excel工作簿，无法打开"
                          f"（{type(exc).__name__}）。", target) from None
    try:
        rows: dict[tuple[str, str], int] = {}
        if DETAIL_SHEET in wb.sheetnames:
            header, pcol, ucol = None, None, None
            for r, values in enumerate(wb[DETAIL_SHEET].iter_rows(values_only=True), start=1):
                if header is None:
                    names = [_plain(v).strip() for v in values]
                    if "报告期" in names and "单位" in names:
                        header, pcol, ucol = r, names.index("报告期"), names.index("单位")
                    elif r >= _HEADER_SEARCH_ROWS:
                        break
                    continue
                period = values[pcol] if pcol < len(values) else None
                unit = values[ucol] if ucol < len(values) else None
                if period is None and unit is None:
                    continue
                key = (_canon_period(period), _canon_unit(unit))
                rows[key] = rows.get(key, 0) + 1
        return LedgerPreview(True, rows, problem)
    finally:
        wb.close()
