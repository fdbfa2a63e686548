"""The window's reviewer tools: comparing with last period's report, and batch review of a folder."""
from __future__ import annotations

import shutil

import openpyxl
import pytest
from helpers import CLEAN, SEEDS, read_fixture
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMenu, QMessageBox

from core.files.settings import Settings
from ui.batch_dialog import RESULT_NAME, BatchDialog
from ui.editor import REUSED_COLOR

ANNUAL = next(p for p in CLEAN if p.name == "zhuti_2024_annual.txt")


def _rows(table):
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_comparing_with_last_years_report(window, tmp_path):
    old = tmp_path / "2024年报告.txt"
    old.write_text(read_fixture(ANNUAL), encoding="utf-8")
    window.set_text(read_fixture(ANNUAL).replace("2024", "2025").replace("党组会26次", "党组会20次"), None)
    assert window.result.comparison is None and window.stats.compare_table.isHidden()

    assert window.compare_with(old)
    comparison = window.result.comparison
    assert comparison is not None and comparison.share == 1.0
    # the checklist gains the two comparison groups; copied is a warning
    titles = [r.text(0) for r in window.checklist.rows()]
    assert any(t.endswith("与上期报告雷同") and t.startswith("!") for t in titles)
    assert any(t.endswith("上期承诺的落实") for t in titles)
    # reused sentences are tinted in the editor
    tinted = [s for s in window.editor.extraSelections() if s.format.background().color() == QColor(REUSED_COLOR)]
    assert len(tinted) == len(comparison.reused)
    first = comparison.reused[0]
    assert window.editor.reused_at(window.editor.positions.to_qt(first.start)) == first
    # counts side by side; the one that went down is on top, in red
    table = window.stats.compare_table
    assert not table.isHidden() and "1项数字比上期少" in window.stats.compare_label.text()
    rows = _rows(table)
    assert rows[0] == ["党组会（党委会）", "26次", "20次", "↓ 减少6"]
    assert table.item(0, 0).background().color() == QColor("#fde0dc")
    assert "雷同100%" in window.compare_label.text()
    # a click on a row selects where this report states it
    window.stats._compare_clicked(0, 0)
    assert window.editor.textCursor().selectedText().startswith("党组会")

    window.stop_comparing()
    assert window.result.comparison is None and table.isHidden()
    assert not any(r.text(0).endswith("与上期报告雷同") for r in window.checklist.rows())
    assert window.editor.reused == [] and window.compare_label.text() == ""


def test_comparison_follows_typing(window, tmp_path, qtbot):
    old = tmp_path / "old.txt"
    old.write_text(read_fixture(ANNUAL), encoding="utf-8")
    window.set_text(read_fixture(ANNUAL), None)
    window.compare_with(old)
    before = window.result.comparison
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    cursor.insertText("\n今年新增的一段话，讲述本期独有的新做法和新成效，去年没有。")
    window.start_check()
    after = window.result.comparison
    assert after.sentences == before.sentences + 1 and len(after.reused) == len(before.reused)
    assert after.share < before.share


def test_unreadable_previous_report_is_a_message(window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a docx")
    assert not window.compare_with(bad)
    assert window.previous is None and "坏.docx" in shown[0]


def test_reopening_a_report_compares_with_the_same_previous_report(make_window, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    old, new, other = tmp_path / "2024年.txt", tmp_path / "2025年.txt", tmp_path / "别的单位.txt"
    old.write_text(read_fixture(ANNUAL), encoding="utf-8")
    new.write_text(read_fixture(ANNUAL).replace("2024", "2025"), encoding="utf-8")
    other.write_text(read_fixture(SEEDS[0]), encoding="utf-8")
    settings = Settings()
    first = make_window(settings, show=False)
    assert first.open_file(new) and first.result.comparison is None
    assert first.compare_with(old)

    # the next day: a new window with the settings as saved
    from core.files.settings import load_settings

    again = make_window(load_settings(), show=False)
    assert again.open_file(new)
    assert again.result.comparison is not None and again.result.comparison.share == 1.0
    assert again.stop_compare_action.isEnabled() and "2024年.txt" in again.statusBar().currentMessage()
    # another report is not compared with this one's previous report
    assert again.open_file(other) and again.result.comparison is None
    assert not again.stop_compare_action.isEnabled()

    # the previous report went missing: no dialog, a status message, no comparison
    old.unlink()
    assert again.open_file(new) and again.result.comparison is None
    assert "无法读取" in again.statusBar().currentMessage() and shown == []

    # 取消对比 forgets the pair
    old.write_text(read_fixture(ANNUAL), encoding="utf-8")
    assert again.open_file(new) and again.result.comparison is not None
    again.stop_comparing()
    assert load_settings().previous_for(new) is None


def test_a_new_draft_saved_while_comparing_keeps_its_pair(make_window, tmp_path, monkeypatch):
    old, saved = tmp_path / "上期.txt", tmp_path / "本期.txt"
    old.write_text(read_fixture(ANNUAL), encoding="utf-8")
    settings = Settings()
    w = make_window(settings, show=False)
    w.set_text(read_fixture(ANNUAL), None, modified=True)
    assert w.compare_with(old)
    monkeypatch.setattr("ui.window_exports.QFileDialog.getSaveFileName", lambda *a, **k: (str(saved), ""))
    assert w.save()
    assert settings.previous_for(saved) == str(old)


@pytest.fixture
def reports(tmp_path):
    folder = tmp_path / "报告 文件夹"
    folder.mkdir()
    for i in range(12):
        shutil.copy([*SEEDS, *CLEAN][i % 9], folder / f"{i:02d}.txt")
    (folder / "坏.txt").write_bytes(b"\x00\x01\x02" * 50)
    return folder


def test_batch_dialog_runs_and_reports(qtbot, reports):
    dialog = BatchDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.workers = 1
    dialog.folder.setText(str(reports))
    assert dialog.out.text() == str(reports / RESULT_NAME)  # suggested beside the reports
    dialog.start()
    assert dialog.cancel_button.isEnabled() and not dialog.start_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=60000)
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=10000)
    assert dialog.progress.value() == dialog.progress.maximum() == 13
    assert "审查完成" in dialog.status.text() and "1份无法读取" in dialog.status.text()
    assert dialog.open_button.isEnabled() and dialog.start_button.isEnabled()
    wb = openpyxl.load_workbook(reports / RESULT_NAME)
    assert wb.sheetnames == ["总览", "明细", "台账", "评分办法"]
    assert dialog.folder_used == str(reports)


def test_batch_dialog_cancel_keeps_what_was_done(qtbot, reports):
    dialog = BatchDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.workers = 1
    dialog.folder.setText(str(reports))
    dialog.start()
    dialog.thread.progressed.connect(lambda done, total, f: dialog.cancel())
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=60000)
    assert dialog.summary.cancelled and dialog.summary.reviewed < 13
    assert "已取消" in dialog.status.text()
    assert (reports / RESULT_NAME).is_file()


def test_batch_dialog_shows_why_it_cannot_start(qtbot, tmp_path):
    dialog = BatchDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path / "不存在"))
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=10000)
    qtbot.waitUntil(lambda: "不是一个文件夹" in dialog.status.text(), timeout=5000)
    assert dialog.start_button.isEnabled()


def test_tools_menu_opens_batch_review(window, monkeypatch):
    opened = []
    monkeypatch.setattr(BatchDialog, "exec", lambda self: opened.append(self) or 0)
    action = next(a for m in window.menuBar().findChildren(QMenu) if m.title() == "工具(&T)"
                  for a in m.actions() if a.text().startswith("批量审查"))  # not QAction.menu(): see test_ui_chinese
    action.trigger()
    assert opened and opened[0].windowTitle() == "批量审查文件夹"


def test_dropping_a_folder_opens_batch_review_for_it(window, monkeypatch, reports):
    from PySide6.QtCore import QMimeData, QUrl

    opened = []
    monkeypatch.setattr(BatchDialog, "exec", lambda self: opened.append(self.folder.text()) or 0)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(reports))])

    class Drop:
        def mimeData(self):
            return data

    window.dropEvent(Drop())
    assert opened == [str(reports)] and window.editor.toPlainText() == ""
