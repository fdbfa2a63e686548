"""From a checked report to ledger rows: shared by the command line and the window.

The rows are filed under the unit, period and type the report itself states (core.text.metadata.report_unit,
report_period, the detected type); a caller may override unit and period (the command line's
--unit/--period, the window's confirmation dialog). A report that names no unit, or leaves it blank
(市**局), is never filed: the command line asks for --unit, the window for the unit. Filed under
"未注明单位", two such reports of one period replaced each other's rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.check.engine import CheckResult, excerpt, line_column
from core.office.ledger import LedgerFinding, LedgerRow, export_ledger
from core.office.ledger.cells import type_name
from core.text.metadata import report_unit


class PeriodUnknown(ValueError):
    """Neither the title nor the preamble gives a year."""


class UnitBlank(ValueError):
    """The report leaves its unit blank (市**局, ××局), or names none, and no unit was given."""


@dataclass(frozen=True)
class ReportIdentity:
    """Who reports, for which period, as the report states it."""

    unit: str | None  # None: not stated, or a blank
    unit_blank: bool
    unit_stated: str | None  # the wording as written: 市审计局党组, 市**局
    unit_source: str | None  # where it was found: "title", "signature", "byline" or "preamble"
    period: str | None  # 2024年第三季度, 2024年度; None when the report gives no year


def report_period(meta) -> str | None:
    """The ledger's 报告期 for a report: 2023年第三季度, 2023年上半年, 2023年度."""
    if meta.year is None:
        return None
    if meta.period in (None, "年度"):
        return f"{meta.year}年度"
    return f"{meta.year}年{meta.period}"


def report_identity(result: CheckResult) -> ReportIdentity:
    info = report_unit(result.document)
    return ReportIdentity(info.name, info.blank, info.stated, info.source, report_period(result.document.meta))


def _checklist_titles(result: CheckResult) -> dict[str, str]:
    return {rule: item.title for item in result.checklist for rule in item.rules}


def ledger_rows(result: CheckResult, unit: str, period: str):
    text = result.document.text
    rows = []
    for item in result.stats:
        line, column = line_column(text, item.start)
        rows.append(LedgerRow(period=period, unit=unit, category=item.category, item=item.item,
                              value=item.value, measure=item.measure, qualifier=item.qualifier,
                              source=item.source(), location=f"第{line}行第{column}列", basis=item.basis))
    titles = _checklist_titles(result)
    findings = []
    for f in result.findings:
        line, column = line_column(text, f.start)
        findings.append(LedgerFinding(rule=f.rule, severity=f.severity, message=f.message,
                                      location=f"第{line}行第{column}列", excerpt=excerpt(text, f.start, f.end),
                                      group=titles.get(f.rule, "")))
    return rows, findings


def resolve_target(result: CheckResult, unit: str | None = None, period: str | None = None) -> tuple[str, str]:
    """(unit, period) to file the report under: the ones given, else the report's own.
    Raises PeriodUnknown or UnitBlank (both ValueError) with a Chinese reason."""
    identity = report_identity(result)
    period = (period or "").strip() or identity.period
    if not period:
        raise PeriodUnknown("无法确定报告期（标题和导语中都没有年份）")
    unit = (unit or "").strip() or identity.unit
    if not unit:
        if identity.unit_blank:
            raise UnitBlank(f"报告中的单位名称是空白（“{identity.unit_stated}”），不能按空白归入台账")
        raise UnitBlank("报告的标题、落款和导语中都没有写明单位，不能归入台账")
    return unit, period


def export_to_ledger(path, result: CheckResult, *, unit: str | None = None, period: str | None = None,
                     source_file: str = "", progress=None, title: str | None = None, **options) -> dict:
    """Append one checked report to the ledger at `path`, under the report's own unit and period
    unless `unit`/`period` are given, and its type. Raises PeriodUnknown/UnitBlank (ValueError) when
    they cannot be settled, core.office.ledger.LedgerError when the workbook cannot be written.
    `progress(step, total, label)` is called as the export goes on; `title`: the unit(s) the
    ledger's titles name (kept in the ledger; None: as before)."""
    unit, period = resolve_target(result, unit, period)
    rows, findings = ledger_rows(result, unit, period)
    report_type = result.document.meta.type
    summary = export_ledger(path, rows, findings, unit=unit, period=period, source_file=source_file,
                            report_type=report_type, progress=progress, title=title, **options)
    return {**summary, "unit": unit, "period": period, "type": type_name(report_type), "items": len(rows)}


def replaced_text(summary: dict) -> str:
    """What an export replaced, in words (empty when nothing): 替换了台账中“市审计局 2024年度
    主体责任落实情况报告”原有的17行（上次导出自“a.txt”）."""
    parts = []
    for entry in summary.get("replaced", ()):
        sources = "、".join(f"“{Path(s).name}”" for s in entry.get("sources", ())[:3])
        origin = f"（上次导出自{sources}）" if sources else ""
        parts.append(f"替换了台账中“{entry['unit']} {entry['period']} {entry['type']}”原有的{entry['rows']}行{origin}")
    kept = summary.get("untyped_kept", 0)
    if kept:
        parts.append(f"台账中该单位该期还有{kept}行是旧版本写入的、没有注明报告类型，未替换，请核对后删除重复的行")
    return "；".join(parts)
