"""The window's exports: 导出 Word 文档 (公文 format with its 落款), 导出带批注的 Word 文档,
导出台账 (Excel ledger) and 批量审查 (a folder of reports)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from core.check.blocking import blocking_findings
from core.office.docx_export import ExportError, export_docx, signature_warning
from core.text.metadata import report_unit
from ui import file_dialogs
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

    def ledger_start(self) -> str:
        """Where 导出台账's dialog starts: the ledger used last time, else 台账.xlsx beside the
        report (never a bare name, which Qt resolves against the program's own folder)."""
        last = self.settings.ledger_path
        if last and Path(last).is_absolute() and Path(last).parent.is_dir():
            return last
        return str(self.dialog_folder() / "台账.xlsx")

    def export_ledger(self) -> None:
        """Add the report's counts to an Excel ledger under the unit and 报告期 the report states,
        confirmed in a dialog; the writing runs off the GUI thread."""
        if self.ledger_exporter.busy:
            self.statusBar().showMessage("上一次导出台账还没有完成，请稍候。", 5000)
            return
        self.when_checked(self._export_ledger_checked, "导出台账")

    def _export_ledger_checked(self, result) -> None:
        if not result.stats:
            QMessageBox.information(self, "导出台账", "报告中没有找到可统计的事项。")
            return
        # no "replace the file?" question: the export adds to an existing ledger, as the next dialog says
        path, _ = file_dialogs.get_save_file_name(self, "导出到台账（新建或追加到已有台账）", self.ledger_start(),
                                                  "Excel 工作簿 (*.xlsx)",
                                                  options=QFileDialog.Option.DontConfirmOverwrite)
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        chosen = self.ledger_exporter.ask(result, path, confirmed=self.doc.ledger)
        if chosen is None:
            return
        self.doc.ledger = chosen  # this report's next export starts from what was confirmed now
        unit, period = chosen
        self.ledger_exporter.start(path, result, unit, period, str(self.path or self.opened_path or ""))

    def export_docx(self) -> None:
        # the text in the editor is what is written; its check is only for the questions asked first
        self.when_checked(self._export_docx_checked, "导出 Word 文档")

    def _export_docx_checked(self, result) -> None:
        text = self.editor.toPlainText()
        assert text == result.document.text  # when_checked gives the check of this very text
        blocking = blocking_findings(result)
        if blocking:
            blanks = sum(1 for f in blocking if f.rule == "placeholder")
            residue = len(blocking) - blanks
            left = "、".join(part for n, part in ((blanks, f"{blanks}处空白待填"), (residue, f"{residue}处网页残留")) if n)
            answer = QMessageBox.question(
                self, "还有未处理的问题", f"报告中还有{left}。仍然导出吗？",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
        # the unit that signs the report (a report of another unit is not signed as ours)
        signer = report_unit(result.document).signer
        signature = SignatureDialog(text, signer or result.document.meta.unit or self.settings.unit,
                                    result.document.meta.type, self)
        if signature.exec() != QDialog.DialogCode.Accepted:
            return
        unit, date = signature.values()
        # a ticked 落款 with the unit left empty would export a date alone (issue 23.3)
        warning = signature_warning(text, unit, date, result.document.meta.type) if signature.add.isChecked() else None
        if warning and QMessageBox.question(self, "落款不完整", f"{warning}仍然导出吗？",
                                            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                                            ) != QMessageBox.StandardButton.Yes:
            return
        target, _ = file_dialogs.get_save_file_name(self, "导出 Word 文档", str(self.suggested_export_path()),
                                                    DOCX_FILTER)
        if not target:
            return
        if not target.lower().endswith(".docx"):
            target += ".docx"
        try:
            export_docx(text, target, unit=unit, date=date,
                        report_type=result.document.meta.type, fonts=self.font_set())
        except ExportError as exc:
            QMessageBox.warning(self, "导出失败", str(exc))
            return
        absent = missing(self.font_set())
        note = (f"\n本机缺少{'、'.join(absent)}：在这台电脑上用替代字体显示，见“设置”中的公文字体。"
                if absent else "")
        self.notice.show_message(f"已导出 Word 文档：{target}{note}", folder=Path(target).parent)

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
