"""The ledger's fixed layout: sheet, table and column names, the public data types (LedgerRow,
LedgerFinding, LedgerReport, LedgerError), the styles it writes and the spec of each owned sheet."""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

DETAIL_SHEET = "台账明细"
SUMMARY_SHEET = "汇总"
FINDINGS_SHEET = "检查结果"
CHART_SHEET = "汇总图表"
CHART_HEADERS = ("项目", "数量")
CHART_HEADER_ROW = 2
DETAIL_TABLE = "台账明细表"
FINDINGS_TABLE = "检查结果表"
DETAIL_HEADERS = ("序号", "报告期", "单位", "报告类型", "类别", "指标", "口径", "数值", "计量单位", "限定词", "状态",
                  "原文", "位置")
# 规则 and 来源文件 (a path) are for whoever keeps the ledger, not for the office it goes to: last, hidden.
FINDINGS_HEADERS = ("序号", "报告期", "单位", "报告类型", "检查项", "级别", "说明", "位置", "原文", "规则", "来源文件")
HIDDEN_HEADERS = ("规则", "来源文件")
# Columns a ledger must have; the others were added later: 序号 and 检查项 are written only where
# they exist, 报告类型 and 口径 are added to a ledger that lacks them (a report's rows are told
# apart by 报告类型; 汇总 reads 口径).
OPTIONAL_HEADERS = ("序号", "检查项", "报告类型", "口径")
ADDED_HEADERS = ("报告类型", "口径")
TYPE_HEADER = "报告类型"
BASIS_HEADER = "口径"
SUMMARY_KEY_HEADERS = ("单位", "报告类型", "类别", "指标", "计量单位")
INDEX_HEADER = "序号"
SUMMARY_NOTE_HEADER = "说明"
STATUS_FILLED = "已填"
STATUS_BLANK = "待填"
UNKNOWN_UNIT = "未注明单位"  # only in ledgers of earlier versions: a report without a unit is refused now
UNKNOWN_TYPE = "未识别类型"
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
    basis: str = ""  # 口径 (core.text.stats.StatItem.basis): "" for the unit's figure of the period


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
    report_type: str = ""  # zhuti, shuze … or its Chinese name; part of what identifies the report's rows


class LedgerError(Exception):
    """A ledger could not be read or written; ``str(exc)`` is one Chinese sentence naming the file
    and the reason, fit to show to the user as it is."""

    def __init__(self, message: str, path: str | os.PathLike[str] | None = None):
        super().__init__(message)
        self.path = None if path is None else str(path)


def quoted(path: Path) -> str:
    return f"“{path}”"


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


FORMULA_LEAD = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_CELL_TEXT = 32767
BOLD = Font(bold=True)
YELLOW = PatternFill(fill_type="solid", fgColor="FFFFF2CC")
RED_FILL = PatternFill(fill_type="solid", fgColor="FFFFC7CE")
RED_FONT = Font(color="FF9C0006")
WRAP = Alignment(wrap_text=True, vertical="top")
WRAP_CELL = Alignment(wrap_text=True)
CENTER_CELL = Alignment(horizontal="center")
CENTERED = ("级别",)  # a short word centred under its header (only where the rows are few)
TOP = Alignment(vertical="top")
CENTER_TOP = Alignment(horizontal="center", vertical="top")
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
TITLE_ALIGN = Alignment(horizontal="center", vertical="center")
TITLE_FONT = Font(bold=True, size=16)
HEADER_FILL = PatternFill(fill_type="solid", fgColor="FFDDEBF7")
_THIN = Side(style="thin", color="FF808080")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# Widths in Excel's character units, capped so that a landscape A4 page fitted to the width stays
# readable; long 原文 and 说明 wrap inside their column instead of running onto the next page.
# A page of 台账明细 (13 columns) stays at about 8.5 pt or more when fitted to the width.
WIDTH_CAPS = {"原文": 44, "说明": 50, "位置": 13, "来源文件": 24, "规则": 12, "序号": 6, "检查项": 14,
              "报告类型": 12, "口径": 12, "计量单位": 10, "限定词": 8}
WRAPPED = ("原文", "说明", "来源文件", "规则", "检查项", "报告类型", "口径")
DEFAULT_CAP = 24


@dataclass
class SheetSpec:
    name: str
    headers: tuple[str, ...]
    table: str
    title_word: str  # what the title row calls the sheet: 统计台账, 报告检查结果

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(h for h in self.headers if h not in OPTIONAL_HEADERS)


DETAIL_SPEC = SheetSpec(DETAIL_SHEET, DETAIL_HEADERS, DETAIL_TABLE, "全面从严治党统计台账")
FINDINGS_SPEC = SheetSpec(FINDINGS_SHEET, FINDINGS_HEADERS, FINDINGS_TABLE, "报告检查结果")
TITLE_ROW, HEADER_ROW = 1, 2  # in a ledger made now; older ones have their header in row 1


@dataclass
class OwnedSheet:
    """One of our sheets as found or made: where its header is and which of our columns it has."""

    ws: Any
    header_row: int
    columns: dict[str, int]  # our header -> column, only those the sheet has
    fresh: bool
