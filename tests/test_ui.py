"""The first window: live checking fills the sidebar; clicking a finding selects its text."""
from __future__ import annotations

import pytest

from conftest import SEEDS
from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ui.app import DEBOUNCE_MS, SPAN_ROLE, MainWindow, qt_position_mapper  # noqa: E402


def type_text(widget, text: str) -> None:
    """Type like a user with an input method: one key event per character.

    QTest.keyClicks only knows Latin-1 and aborts on Chinese, so the events are built here.
    """
    for ch in text:
        key = Qt.Key.Key_Return if ch == "\n" else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    # closing at teardown must not stop at the "save changes?" question
    qtbot.addWidget(w, before_close_func=lambda win: win.editor.document().setModified(False))
    w.show()
    return w


def _finding_rows(window):
    for i in range(window.checklist.topLevelItemCount()):
        top = window.checklist.topLevelItem(i)
        for j in range(top.childCount()):
            yield top, top.child(j)


def test_typing_a_blank_produces_a_sidebar_finding(window, qtbot):
    type_text(window.editor, "市审计局2024年度全面从严治党主体责任落实情况报告\n召开党组会*次。")
    qtbot.waitUntil(lambda: window.result is not None and window.result.errors > 0,
                    timeout=DEBOUNCE_MS * 10)
    tops = {window.checklist.topLevelItem(i).text(0) for i in range(window.checklist.topLevelItemCount())}
    assert any("空白待填" in t and t.startswith("✗") for t in tops)


def test_clicking_a_finding_selects_its_span(window, qtbot):
    assert window.open_file(SEEDS[1])
    rows = [(top, child) for top, child in _finding_rows(window) if "网页残留" in top.text(0)]
    assert rows
    _, child = rows[0]
    window._jump_to_finding(child, 0)
    assert window.editor.textCursor().selectedText() == "##paidbegin##"


def test_open_reports_unreadable_file_without_crashing(window, qtbot, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("ui.app.QMessageBox.warning", lambda *a: shown.append(a[2]))
    bad = tmp_path / "坏文件.docx"
    bad.write_bytes(b"PK\x03\x04garbage")
    assert window.open_file(bad) is False
    assert "坏文件.docx" in shown[0] and "损坏" in shown[0]


def test_save_is_atomic_and_clears_modified(window, qtbot, tmp_path):
    target = tmp_path / "报告.txt"
    target.write_text("旧内容", encoding="utf-8")
    window.open_file(SEEDS[0])
    window.path = target
    window.editor.appendPlainText("补充一句。")
    assert window.save()
    assert target.read_text(encoding="utf-8").endswith("补充一句。")
    assert not window.editor.document().isModified()
    assert not list(tmp_path.glob("*.tmp"))


def test_positions_beyond_the_bmp_are_mapped_for_qt():
    to_qt = qt_position_mapper("a😀b𠀀c")
    assert [to_qt(i) for i in range(6)] == [0, 1, 3, 4, 6, 7]
