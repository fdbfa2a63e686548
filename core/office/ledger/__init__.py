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

This package re-exports the names callers use; the work is split by job: schema (names, types,
styles), cells, rows (the owned sheets), moves (rows moving as in Excel), summary (汇总, chart,
print setup), workbook_io (reading, checking and writing the file through core.files.atomic),
fast_load and export (the entry points). Periods are core.text.periods'.
"""
from core.office.ledger.cells import display_width, looks_like_formula, safe_text, set_style, set_text
from core.office.ledger.export import (
    EXPORT_STEPS,
    LedgerPreview,
    canonical_period,
    export_ledger,
    export_reports,
    preview_ledger,
)
from core.office.ledger.schema import (
    CHART_SHEET,
    DETAIL_HEADERS,
    DETAIL_SHEET,
    FINDINGS_HEADERS,
    FINDINGS_SHEET,
    SUMMARY_KEY_HEADERS,
    SUMMARY_SHEET,
    UNKNOWN_UNIT,
    LedgerError,
    LedgerFinding,
    LedgerReport,
    LedgerRow,
)
from core.office.ledger.workbook_io import check_package, lock_file, os_reason
from core.text.periods import format_period, parse_period, period_sort_key

__all__ = [
    "DETAIL_SHEET", "SUMMARY_SHEET", "FINDINGS_SHEET", "CHART_SHEET", "EXPORT_STEPS", "DETAIL_HEADERS",
    "FINDINGS_HEADERS", "SUMMARY_KEY_HEADERS", "UNKNOWN_UNIT", "LedgerRow", "LedgerFinding", "LedgerReport",
    "LedgerError", "parse_period", "format_period", "period_sort_key", "export_ledger", "export_reports",
    "canonical_period", "LedgerPreview", "preview_ledger",
    "safe_text", "set_text", "set_style", "looks_like_formula", "display_width", "lock_file", "check_package",
    "os_reason",
]
