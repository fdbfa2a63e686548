"""The main window: an editor and the live checklist. Holds no checking logic: it calls core.

This is the first window; issue 4 grows it (worker thread, statistics, autosave, templates).
"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QColor, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (QApplication, QFileDialog, QMainWindow, QMessageBox, QPlainTextEdit,
                               QSplitter, QTextEdit, QTreeWidget, QTreeWidgetItem)

from core import resources
from core.engine import CheckResult, check, line_column
from core.textio import ReadError, read_report

STATUS_TEXT = {"pass": "✓", "warn": "!", "fail": "✗"}
STATUS_COLOR = {"pass": "#2e7d32", "warn": "#ef6c00", "fail": "#c62828"}
SEVERITY_COLOR = {"error": "#d32f2f", "warning": "#f57c00", "info": "#1976d2"}
SEVERITY_TEXT = {"error": "错误", "warning": "警告", "info": "提示"}
DEBOUNCE_MS = 300
SPAN_ROLE = Qt.ItemDataRole.UserRole


def qt_position_mapper(text: str):
    """Core offsets count code points; Qt counts UTF-16 units, two for a character beyond the BMP."""
    wide = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] if not text.isascii() else []
    if not wide:
        return lambda offset: offset
    from bisect import bisect_left
    return lambda offset: offset + bisect_left(wide, offset)


class MainWindow(QMainWindow):
    def __init__(self) -> None:
        super().__init__()
        self.path: Path | None = None
        self.result: CheckResult | None = None
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText("在此粘贴或输入报告正文，右侧清单会随输入实时检查。")
        font = self.editor.font()
        font.setPointSize(12)
        self.editor.setFont(font)
        self.checklist = QTreeWidget()
        self.checklist.setHeaderLabels(["检查项", "数量"])
        self.checklist.setColumnWidth(0, 300)
        self.checklist.itemClicked.connect(self._jump_to_finding)
        splitter = QSplitter()
        splitter.addWidget(self.editor)
        splitter.addWidget(self.checklist)
        splitter.setSizes([760, 420])
        self.setCentralWidget(splitter)
        self.timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_check)
        self.editor.textChanged.connect(self.timer.start)
        self.editor.document().modificationChanged.connect(lambda _m: self._update_title())
        self._build_menu()
        self.resize(1200, 760)
        self._update_title()
        self.statusBar().showMessage("就绪")

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu("文件(&F)")
        for text, shortcut, slot in (("打开(&O)…", QKeySequence.StandardKey.Open, self.open_dialog),
                                     ("保存(&S)", QKeySequence.StandardKey.Save, self.save),
                                     ("退出(&X)", QKeySequence.StandardKey.Quit, self.close)):
            action = QAction(text, self, shortcut=shortcut, triggered=slot)
            menu.addAction(action)

    def _update_title(self) -> None:
        name = self.path.name if self.path else "未命名"
        mark = "*" if self.editor.document().isModified() else ""
        self.setWindowTitle(f"{mark}{name} — {resources.APP_NAME}")

    # --- files -----------------------------------------------------------------------------
    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "打开报告", "", "报告 (*.txt *.docx);;所有文件 (*)")
        if path:
            self.open_file(path)

    def open_file(self, path: str | Path) -> bool:
        try:
            text = read_report(path)
        except ReadError as exc:
            QMessageBox.warning(self, "无法打开", str(exc))
            return False
        self.path = Path(path)
        self.editor.setPlainText(text)
        self.editor.document().setModified(False)
        self._update_title()
        self.run_check()
        return True

    def save(self) -> bool:
        if self.path is None or self.path.suffix.lower() != ".txt":
            path, _ = QFileDialog.getSaveFileName(self, "保存报告", "", "文本文件 (*.txt)")
            if not path:
                return False
            self.path = Path(path)
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            tmp.write_text(self.editor.toPlainText(), encoding="utf-8")
            tmp.replace(self.path)  # atomic: the old file or the new one, never half of each
        except OSError as exc:
            QMessageBox.warning(self, "保存失败", f"无法保存“{self.path}”：{exc.strerror or exc}。文字仍在编辑器中。")
            return False
        self.editor.document().setModified(False)
        self._update_title()
        return True

    # --- checking ------------------------------------------------------------------------
    def run_check(self) -> None:
        text = self.editor.toPlainText()
        self.result = check(text)
        self._show_result(self.result)

    def _show_result(self, result: CheckResult) -> None:
        text = result.document.text
        to_qt = qt_position_mapper(text)
        self.checklist.clear()
        for item in result.checklist:
            row = QTreeWidgetItem([f"{STATUS_TEXT[item.status]}  {item.title}", str(item.count or "")])
            row.setForeground(0, QColor(STATUS_COLOR[item.status]))
            for f in item.findings:
                line, column = line_column(text, f.start)
                child = QTreeWidgetItem([f"[{SEVERITY_TEXT[f.severity]}] 第{line}行：{f.message}", ""])
                child.setToolTip(0, f.message)
                child.setData(0, SPAN_ROLE, (to_qt(f.start), to_qt(f.end)))
                row.addChild(child)
            self.checklist.addTopLevelItem(row)
        selections = []
        for f in result.findings:
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(QColor(SEVERITY_COLOR[f.severity]))
            fmt.setToolTip(f.message)
            sel.format = fmt
            cursor = QTextCursor(self.editor.document())
            cursor.setPosition(to_qt(f.start))
            cursor.setPosition(to_qt(max(f.end, f.start + 1)), QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            selections.append(sel)
        self.editor.setExtraSelections(selections)
        meta = result.document.meta
        profile = resources.profile(meta.type)
        self.statusBar().showMessage(
            f"类型：{profile.name if profile else '未识别'}　时段：{meta.year or ''}{meta.period or ''}　"
            f"错误 {result.errors}　警告 {result.warnings}")

    def _jump_to_finding(self, item: QTreeWidgetItem, _column: int) -> None:
        span = item.data(0, SPAN_ROLE)
        if not span:
            return
        start, end = span
        cursor = self.editor.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.editor.setTextCursor(cursor)
        self.editor.centerCursor()
        self.editor.setFocus()

    def closeEvent(self, event) -> None:
        if self.editor.document().isModified() and self.editor.toPlainText().strip():
            answer = QMessageBox.question(
                self, "尚未保存", "报告有未保存的修改，要保存吗？",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel)
            if answer == QMessageBox.StandardButton.Cancel or (
                    answer == QMessageBox.StandardButton.Save and not self.save()):
                event.ignore()
                return
        event.accept()


def run(argv: list[str]) -> int:
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName(resources.APP_NAME)
    window = MainWindow()
    window.show()
    files = [a for a in argv if not a.startswith("-")]
    if files:
        window.open_file(files[0])
    return app.exec()
