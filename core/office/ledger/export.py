"""The ledger's entry points: export_ledger / export_reports (read, fill, summarise, save) and
preview_ledger (what a ledger already holds, read before an export)."""
from __future__ import annotations

import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.packaging.custom import StringProperty

from core.office.ledger.cells import (
    HEADER_SEARCH_ROWS,
    canon_period,
    canon_type,
    canon_unit,
    fit_widths,
    plain,
    type_name,
)
from core.office.ledger.fast_load import fast_style_ids, gc_paused, release_cells
from core.office.ledger.lock import WAIT_SECONDS, ledger_lock
from core.office.ledger.package import OWNED_SHEETS, keeper
from core.office.ledger.rows import (
    MergedRows,
    detail_cells,
    finding_cells,
    grid,
    ledger_title,
    merge_rows,
    number_rows,
    prepare_sheet,
    set_row_heights,
    set_title,
    update_table,
)
from core.office.ledger.schema import (
    CHART_SHEET,
    DETAIL_SHEET,
    DETAIL_SPEC,
    FINDINGS_SHEET,
    FINDINGS_SPEC,
    INDEX_HEADER,
    SUMMARY_SHEET,
    TYPE_HEADER,
    LedgerError,
    LedgerFinding,
    LedgerReport,
    LedgerRow,
    OwnedSheet,
    SheetSpec,
)
from core.office.ledger.summary import build_summary, print_setup
from core.office.ledger.workbook_io import (
    check_package,
    check_writable,
    load_ledger,
    os_reason,
    quoted,
    refuse_if_office_open,
    save_workbook,
)
from core.text.periods import format_period, parse_period


def export_ledger(path: str | os.PathLike[str], rows: list[LedgerRow], findings: list[LedgerFinding], *,
                  unit: str, period: str, source_file: str = "", report_type: str = "", progress=None,
                  wait: float = WAIT_SECONDS, title: str | None = None) -> dict:
    """Add one report's rows and findings to the ledger workbook at ``path`` (created if missing).

    ``unit``, ``period`` and ``report_type`` name the report (they are written to every row,
    whatever the rows themselves say); rows already in the ledger for the same 单位 + 报告期 +
    报告类型 are replaced, in 台账明细 and in 检查结果 alike, and no others. Raises
    :class:`LedgerError` when the file cannot be read or written; the file is then exactly as it
    was. Returns a summary, see :func:`export_reports`.
    """
    report = LedgerReport(unit=unit, period=period, rows=tuple(rows), findings=tuple(findings),
                          source_file=source_file, report_type=report_type)
    return export_reports(path, [report], progress=progress, wait=wait, title=title)


EXPORT_STEPS = ("读取台账", "写入台账明细", "生成汇总", "写入检查结果", "保存台账")
TITLE_PROPERTY = "台账标题单位"  # custom document property: the name the titles carry (export dialog, --title)


def export_reports(path: str | os.PathLike[str], reports: Iterable[LedgerReport], *, progress=None,
                   wait: float = WAIT_SECONDS, title: str | None = None) -> dict:
    """Add several reports to one ledger in a single write (batch mode; one report: same as
    :func:`export_ledger`). A later report with the same 单位 + 报告期 + 报告类型 wins over an
    earlier one. ``progress(step, total, label)``, when given, is called before each of
    :data:`EXPORT_STEPS` (the first at once, before anything is read), and with a label 等待…写完
    when another export holds the ledger (see core.office.ledger.lock; ``wait`` seconds at most,
    then LedgerError). ``title``: the unit(s) the titles name, kept in the workbook for later
    exports (None: as kept before; "" names none).

    Returns ``{"path", "created", "rows_written", "rows_replaced", "replaced", "untyped_kept",
    "findings_written", "findings_replaced", "sheets", "detail_sheet", "summary_sheet",
    "findings_sheet", "tables", "periods", "latest_period", "mismatches", "conflicts",
    "summary_rows", "chart_items", "title"}``; ``replaced`` lists each report whose rows were
    replaced: ``{"period", "unit", "type", "rows", "sources"}``.
    """
    target = Path(os.fspath(path))
    detail_batch: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    finding_batch: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    order: list[tuple[str, str, str]] = []
    for report in reports:
        period = canon_period(report.period)
        if not period:
            raise ValueError("报告期不能为空")
        unit = plain(report.unit).strip()
        if not unit:
            raise ValueError("单位不能为空：没有单位的报告不能归入台账")
        kind = type_name(report.report_type)
        key = (period, unit, kind)
        if key in detail_batch:
            order.remove(key)
        order.append(key)
        detail_batch[key] = [detail_cells(row, unit, period, kind) for row in report.rows]
        finding_batch[key] = [finding_cells(f, unit, period, report.source_file, kind) for f in report.findings]

    def step(i: int) -> None:
        if progress is not None:
            progress(i, len(EXPORT_STEPS), EXPORT_STEPS[i])

    check_writable(target)
    step(0)

    waited = []

    def waiting(holder) -> None:
        waited.append(holder)
        if progress is not None:
            progress(0, len(EXPORT_STEPS), f"等待{holder.describe()}写完")

    # One writer at a time, from reading the workbook to swapping in the new one.
    with ledger_lock(target, wait=wait, on_wait=waiting, office_open=lambda: refuse_if_office_open(target)) as held:
        wb = None
        with gc_paused():
            try:
                if waited:
                    step(0)
                wb, original = load_ledger(target) if target.exists() else (None, None)
                created = wb is None
                if created:
                    wb = openpyxl.Workbook()
                    wb.active.title = DETAIL_SHEET
                who = _title_name(wb, title)
                return _export_into(wb, created, target, order, detail_batch, finding_batch, step, held,
                                    original, who)
            finally:
                release_cells(wb)


def _title_name(wb, title: str | None) -> str | None:
    """The name the titles carry: the one given now (kept in the workbook), else the one kept."""
    props = wb.custom_doc_props
    if title is None:
        kept = next((p.value for p in props if p.name == TITLE_PROPERTY), None)
        return kept if isinstance(kept, str) else None
    title = title.strip()
    for prop in [p for p in props if p.name == TITLE_PROPERTY]:
        props.props.remove(prop)
    props.append(StringProperty(name=TITLE_PROPERTY, value=title))
    return title


def _fill_owned_sheet(wb, spec: SheetSpec, target: Path, index: int, batch, order, who) -> tuple[OwnedSheet, MergedRows, str]:
    sheet = prepare_sheet(wb, spec, target, index)
    ws, hr, columns = sheet.ws, sheet.header_row, sheet.columns
    fit_widths(ws, columns, (p for k in order for p in batch[k]), shrink=sheet.fresh)
    merged = merge_rows(wb, ws, columns, batch, order, hr)
    set_row_heights(ws, columns, merged.new_rows)
    table = update_table(wb, ws, spec, merged.last_row, max(columns.values()), hr)
    grid(ws, columns, hr, merged.last_row)
    number_rows(ws, columns.get(INDEX_HEADER), merged.data_rows)
    set_title(ws, hr, ledger_title(merged.keys, spec.title_word, who))
    print_setup(ws, hr, force=sheet.fresh)
    return sheet, merged, table


def _export_into(wb, created: bool, target: Path, order, detail_batch, finding_batch, step, held,
                 original: bytes, who: str | None) -> dict:
    step(1)
    owned_before = {name for name in OWNED_SHEETS if name in wb.sheetnames}
    detail, dmerged, dtable = _fill_owned_sheet(wb, DETAIL_SPEC, target, 0, detail_batch, order, who)
    step(2)
    summary_info = build_summary(wb, detail.ws, detail.columns, dmerged.last_row, target, detail.header_row, who)
    step(3)
    findings_index = wb.sheetnames.index(CHART_SHEET) + 1
    _fsheet, fmerged, ftable = _fill_owned_sheet(wb, FINDINGS_SPEC, target, findings_index, finding_batch, order, who)
    if created:
        wb.active = 0
    step(4)
    moved = {ws.title: m.rows for ws, m in ((detail.ws, dmerged), (_fsheet.ws, fmerged)) if m.rows is not None}
    with fast_style_ids(wb):
        save_workbook(wb, target, held, write=keeper(wb, original, owned_before, moved, target))
    replaced = [{"period": k[0], "unit": k[1], "type": k[2], "rows": n,
                 "sources": sorted(fmerged.replaced_sources.get(k, ()))}
                for k, n in dmerged.replaced_keys.items()]
    return {
        "path": str(target),
        "created": created,
        "rows_written": dmerged.written,
        "rows_replaced": dmerged.replaced,
        "replaced": replaced,
        "untyped_kept": sum(dmerged.untyped.values()),
        "findings_written": fmerged.written,
        "findings_replaced": fmerged.replaced,
        "sheets": list(wb.sheetnames),
        "detail_sheet": DETAIL_SHEET,
        "summary_sheet": SUMMARY_SHEET,
        "findings_sheet": FINDINGS_SHEET,
        "chart_sheet": CHART_SHEET,
        "tables": {DETAIL_SHEET: dtable, FINDINGS_SHEET: ftable},
        "title": who,
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
    rows: dict[tuple[str, str, str], int]  # (报告期, 单位, 报告类型) -> rows in 台账明细 ("" type: an older ledger's)
    problem: str | None = None  # why the export would be refused (open in Excel, read-only …)
    title: str | None = None  # the name the ledger's titles carry, when one was chosen

    def replaced(self, unit: str, period: str, report_type: str = "") -> int:
        """Rows the export of this report replaces (same unit, period and type)."""
        return self.rows.get((canon_period(period), canon_unit(unit), type_name(report_type)), 0)

    def untyped(self, unit: str, period: str) -> int:
        """Rows of this unit and period written before 报告类型 was recorded: kept, not replaced."""
        return self.rows.get((canon_period(period), canon_unit(unit), ""), 0)

    @property
    def units(self) -> list[str]:
        return sorted({u for _p, u, _t in self.rows})

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def preview_ledger(path: str | os.PathLike[str]) -> LedgerPreview:
    """The rows per report (单位 + 报告期 + 报告类型) of the ledger at ``path``, read without changing
    it (read-only mode: fast, and light on memory). Raises :class:`LedgerError` when it cannot be read."""
    target = Path(os.fspath(path))
    problem = None
    try:
        check_writable(target)
    except LedgerError as exc:
        problem = str(exc)
    if not target.exists() or target.is_dir():
        return LedgerPreview(False, {}, problem)
    try:
        data = target.read_bytes()
    except OSError as exc:
        raise LedgerError(f"无法读取台账{quoted(target)}：{os_reason(exc)}。", target) from None
    if not data:
        return LedgerPreview(False, {}, problem)
    check_package(target, data)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except Exception as exc:  # noqa: BLE001 - damaged files raise many kinds
        raise LedgerError(f"无法读取台账{quoted(target)}：文件内容已损坏或不是Excel工作簿，无法打开"
                          f"（{type(exc).__name__}）。", target) from None
    try:
        rows: dict[tuple[str, str, str], int] = {}
        if DETAIL_SHEET in wb.sheetnames:
            header, pcol, ucol, tcol = None, None, None, None
            for r, values in enumerate(wb[DETAIL_SHEET].iter_rows(values_only=True), start=1):
                if header is None:
                    names = [plain(v).strip() for v in values]
                    if "报告期" in names and "单位" in names:
                        header, pcol, ucol = r, names.index("报告期"), names.index("单位")
                        tcol = names.index(TYPE_HEADER) if TYPE_HEADER in names else None
                    elif r >= HEADER_SEARCH_ROWS:
                        break
                    continue
                period = values[pcol] if pcol < len(values) else None
                unit = values[ucol] if ucol < len(values) else None
                if period is None and unit is None:
                    continue
                kind = values[tcol] if tcol is not None and tcol < len(values) else None
                key = (canon_period(period), canon_unit(unit), canon_type(kind))
                rows[key] = rows.get(key, 0) + 1
        title = next((p.value for p in wb.custom_doc_props if p.name == TITLE_PROPERTY), None)
        return LedgerPreview(True, rows, problem, title if isinstance(title, str) else None)
    finally:
        wb.close()
