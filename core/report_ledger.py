"""From a checked report to ledger rows: shared by the command line and the window."""
from __future__ import annotations

from core.engine import CheckResult, excerpt, line_column


def report_period(meta) -> str | None:
    """The ledger's 报告期 for a report: 2023年第三季度, 2023年上半年, 2023年度."""
    if meta.year is None:
        return None
    if meta.period in (None, "年度"):
        return f"{meta.year}年度"
    return f"{meta.year}年{meta.period}"


def ledger_rows(result: CheckResult, unit: str, period: str):
    from core.ledger import LedgerFinding, LedgerRow

    text = result.document.text
    rows = []
    for item in result.stats:
        line, column = line_column(text, item.start)
        rows.append(LedgerRow(period=period, unit=unit, category=item.category, item=item.item,
                              value=item.value, measure=item.unit, qualifier=item.qualifier,
                              source=item.source(), location=f"第{line}行第{column}列"))
    findings = []
    for f in result.findings:
        line, column = line_column(text, f.start)
        findings.append(LedgerFinding(rule=f.rule, severity=f.severity, message=f.message,
                                      location=f"第{line}行第{column}列", excerpt=excerpt(text, f.start, f.end)))
    return rows, findings


def export_to_ledger(path, result: CheckResult, *, unit: str | None = None, period: str | None = None,
                     source_file: str = "") -> dict:
    """Append one checked report to the ledger at `path`. Raises ValueError when the period is unknown,
    core.ledger.LedgerError when the workbook cannot be written."""
    from core.ledger import export_ledger

    meta = result.document.meta
    period = period or report_period(meta)
    if not period:
        raise ValueError("无法确定报告期（标题和导语中都没有年份）")
    unit = unit or meta.unit or "未注明单位"
    rows, findings = ledger_rows(result, unit, period)
    summary = export_ledger(path, rows, findings, unit=unit, period=period, source_file=source_file)
    return {**summary, "unit": unit, "period": period, "items": len(rows)}
