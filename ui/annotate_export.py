"""文件 → 导出带批注的 Word 文档: the open report with its findings as Word comments (批注).

From a .docx the comments go into a copy of that very file, its formatting untouched; a report
typed here or opened from .txt is exported in GB/T 9704 layout first. The work (reading, checking,
writing) runs on a QThread behind a busy progress dialog, as batch review does.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from core.files.textio import ReadError
from core.office.annotate import SUFFIX, AnnotateError, annotate_file, annotate_text, check_output
from ui import file_dialogs


class AnnotateThread(QThread):
    succeeded = Signal(object)  # core.office.annotate.AnnotateSummary
    failed = Signal(str)

    def __init__(self, job, parent=None):
        super().__init__(parent)
        self.job = job

    def run(self) -> None:
        try:
            summary = self.job()
        except (ReadError, AnnotateError) as exc:
            self.failed.emit(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - shown to the user, never a crashed window
            self.failed.emit(f"写入批注时出现内部错误（{type(exc).__name__}: {exc}），原文件未受影响。")
            return
        self.succeeded.emit(summary)


def choose_source(window) -> tuple[Path | None, bool]:
    """(the .docx to annotate or None for the current text, False when the user cancelled).

    A .docx opened and not changed since is annotated itself. A changed one: ask, since the
    comments can follow either the file on disk or the text in the editor, not both."""
    opened = window.opened_path
    if opened is None or opened.suffix.lower() != ".docx" or not opened.exists():
        return None, True
    if window.opened_text == window.editor.toPlainText():
        return opened, True
    box = QMessageBox(window)
    box.setWindowTitle("导出带批注的 Word 文档")
    box.setIcon(QMessageBox.Icon.Question)
    box.setText(f"报告在打开“{opened.name}”之后已经修改过。")
    box.setInformativeText("批注原文件：在原 Word 文件的副本上加批注，保留它的版式、表格和图片，"
                           "按原文件的内容检查（编辑器中的修改不包括在内）。\n"
                           "按当前文字导出：把编辑器中的文字按 GB/T 9704 版式导出，再加批注。")
    original = box.addButton("批注原文件", QMessageBox.ButtonRole.AcceptRole)
    current = box.addButton("按当前文字导出", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked is original:
        return opened, True
    if clicked is current:
        return None, True
    return None, False


def export_annotated(window) -> None:
    """Once the text in the editor is checked: ask where, then write the annotated copy in the
    background (window.annotate_thread)."""
    window.when_checked(lambda result: _export(window, result), "导出带批注的 Word 文档")


def _export(window, result) -> AnnotateThread | None:
    source, go_on = choose_source(window)
    if not go_on:
        return None
    base = source or window.path or window.opened_path
    folder = base.parent if base else Path(window.settings.last_folder or ".")
    stem = base.stem if base else "报告"
    target, _ = file_dialogs.get_save_file_name(window, "导出带批注的 Word 文档", str(folder / f"{stem}{SUFFIX}.docx"),
                                                "Word 文档 (*.docx)")
    if not target:
        return None
    if not target.lower().endswith(".docx"):
        target += ".docx"
    out = Path(target)
    report_type = window.report_type
    if source is not None:
        def job():
            return annotate_file(source, out, report_type=report_type)
    else:
        text = window.editor.toPlainText()
        opened = window.opened_path or window.path

        def job():
            check_output(opened, out)  # never over the file the report came from
            # the window's own result for this text: what the checklist shows is what is written
            return annotate_text(text, out, result if result.document.text == text else None,
                                 report_type=report_type)

    progress = QProgressDialog("正在检查并写入批注…", None, 0, 0, window)
    progress.setWindowTitle("导出带批注的 Word 文档")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    thread = AnnotateThread(job, window)

    def done(summary) -> None:
        progress.close()
        moved = f"（其中{summary.on_heading}条标在最近的标题上）" if summary.on_heading else ""
        window.notice.show_message(f"已导出带批注的文档：{summary.path}\n{summary.comments}条批注{moved}，"
                                   f"标题上有检查清单汇总。", folder=Path(summary.path).parent)

    def failed(message: str) -> None:
        progress.close()
        QMessageBox.warning(window, "导出失败", message)

    thread.succeeded.connect(done)
    thread.failed.connect(failed)
    window.annotate_thread = thread
    thread.start()
    return thread
