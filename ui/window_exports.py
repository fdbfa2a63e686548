"""The window's exports: 导出 Word 文档 (公文 format with its 落款), 导出带批注的 Word 文档,
导出台账 (Excel ledger) and 批量审查 (a folder of reports)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from core.check.blocking import blocking_findings
from core.office.docx_export import ExportError, export_docx, signature_warning
from core.text.metadata import report_unit
from ui.dialogs import SignatureDialog
from ui.fonts import missing
from ui.window_files import DOCX_FILTER, name_from_title


class ExportActions:
    """Mixin for MainWindow: it owns the last check's result and the settings these methods use."""

    @property
    def ledger_exporter(self):
        if self._ledger_exporter is None:
            from ui.ledger_export import LedgerExporter  # deferred: it loads openpyxl (0.2 s at start-up)

            self._ledger_exporter = LedgerExporter(self)
        return self._ledger_exporter

    def suggested_export_path(self) -> Path:
        """Beside the report; never the report's own .docx, which the export (web residue left
        out, 落款 added) would replace."""
        report = self.path or self.opened_path
        if report is None:
            return self.dialog_folder() / name_from_title(self._title_text(), ".docx")
        if report.suffix.lower() == ".docx":
            return report.with_name(f"{report.stem}（定稿）.docx")
        return report.with_suffix(".docx")

    def export_ledger(self) -> None:
        """Add the report's counts to an Excel ledger under the unit and 报告期 the report states,
        confirmed in a dialog; the writing runs off the GUI thread."""
        if self.ledger_exporter.busy:
            self.statusBar().showMessage("上一次导出台账还没有完成，请稍候。", 5000)
            return
        self.check_now()
        if self.result is None or not self.result.stats:
            QMessageBox.information(self, "导出台账", "报告中没有找到可统计的事项。")
            return
        result = self.result
        # no "replace the file?" question: the export adds to an existing ledger, as the next dialog says
        path, _ = QFileDialog.getSaveFileName(self, "导出到台账（新建或追加到已有台账）",
                                              self.settings.ledger_path or "台账.xlsx", "Excel 工作簿 (*.xlsx)",
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        chosen = self.ledger_exporter.ask(result, path)
        if chosen is None:
            return
        unit, period = chosen
        self.ledger_exporter.start(path, result, unit, period, str(self.path or self.opened_path or ""))

    def export_docx(self) -> None:
        self.check_now()
        if self.result is None:
            return
        blocking = blocking_findings(self.result)
        if blocking:
            blanks = sum(1 for f in blocking if f.rule == "placeholder")
            residue = len(blocking) - blanks
            left = "、".join(part for n, part in ((blanks, f"{blanks}处空白待填"), (residue, f"{residue}处网页残留")) if n)
            answer = QMessageBox.question(
                self, "还有未处理的问题", f"报告中还有{left}。仍然导出吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        text = self.result.document.text
        # the unit that signs the report (a report of another unit is not signed as ours)
        signer = report_unit(self.result.document).signer
        signature = SignatureDialog(text, signer or self.result.document.meta.unit or self.settings.unit,
                                    self.result.document.meta.type, self)
        if signature.exec() != QDialog.DialogCode.Accepted:
            return
        unit, date = signature.values()
        # a ticked 落款 with the unit left empty would export a date alone (issue 23.3)
        warning = signature_warning(text, unit, date, self.result.document.meta.type) if signature.add.isChecked() else None
        if warning and QMessageBox.question(self, "落款不完整", f"{warning}仍然导出吗？",
                                            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                                            ) != QMessageBox.StandardButton.Yes:
            return
        target, _ = QFileDialog.getSaveFileName(self, "导出 Word 文档", str(self.suggested_export_path()),
                                                DOCX_FILTER)
        if not target:
            return
        if not target.lower().endswith(".docx"):
            target += ".docx"
        try:
            export_docx(text, target, unit=unit, date=date,
                        report_type=self.result.document.meta.type, fonts=self.font_set())
        except ExportError as exc:
            QMessageBox.warning(self, "导出失败", str(exc))
            return
        absent = missing(self.font_set())
        note = f"（本机缺少{'、'.join(absent)}，见“设置”中的公文字体）" if absent else ""
        self.statusBar().showMessage(f"已导出 {target}{note}", 10000)

    def export_annotated(self) -> None:
        # deferred: it imports the checking engine and every rule, which the window leaves to the check process
        from ui.annotate_export import export_annotated

        export_annotated(self)

    def batch_review(self, folder: str | None = None) -> None:
        from ui.batch_dialog import BatchDialog  # deferred: the batch's process pool machinery loads on first use

        dialog = BatchDialog(self.settings, self)
        if folder:
            dialog.folder.setText(folder)
        dialog.exec()
        if dialog.folder_used:
            self.settings.last_folder = dialog.folder_used
            self._save_settings_quietly()
