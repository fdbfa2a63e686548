"""The mouse on the text: a finding answers on the whole box of its characters (its last one's
right half too), a right-click fix and 全部修正 are undone with Ctrl+Z back to the fixed place."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QHelpEvent, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

TEXT = "市审计局2024年度全面从严治党主体责任落实情况报告\n一、工作情况\n加强学习,推动落实;召开党组会*次。\n"


@pytest.fixture
def active(window, qtbot):
    window.set_text(TEXT, None)
    with qtbot.waitActive(window):
        window.activateWindow()
    return window


def _box(editor, position: int) -> tuple[int, int, int]:
    """(left, right, middle y) of the character at a Qt position, in viewport coordinates."""
    cursor = QTextCursor(editor.document())
    cursor.setPosition(position)
    left = editor.cursorRect(cursor)
    cursor.setPosition(position + 1)
    right = editor.cursorRect(cursor)
    return left.left(), right.left(), left.center().y()


def _right_click(qtbot, editor, point: QPoint, choose: str | None) -> list[str]:
    """Right-click at `point`; the menu's entries, and the one starting with `choose` triggered."""
    seen = []

    def pick():
        menu = QApplication.activePopupWidget()
        if menu is None:
            QTimer.singleShot(10, pick)
            return
        seen.extend(a.text() for a in menu.actions() if not a.isSeparator())
        target = next((a for a in menu.actions() if choose and a.text().startswith(choose)), None)
        menu.close()
        if target is not None:
            target.trigger()

    QTimer.singleShot(0, pick)
    QTest.mouseClick(editor.viewport(), Qt.MouseButton.RightButton, pos=point)
    # the context menu event the window system makes of a right click (QTest's click is sent
    # to the widget directly, past the window system)
    QApplication.sendEvent(editor.viewport(), QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                                                                editor.viewport().mapToGlobal(point)))
    qtbot.waitUntil(lambda: bool(seen))
    return seen


def test_the_right_half_of_a_findings_last_character_counts(active, qtbot):
    editor = active.editor
    comma = TEXT.index(",")
    left, right, y = _box(editor, comma)
    assert right - left >= 4
    right_half = QPoint(right - 1, y)  # a pixel inside the comma's box, on its right half
    assert editor.cursorForPosition(right_half).position() == comma + 1  # the nearest gap is after it
    entries = _right_click(qtbot, editor, right_half, None)
    assert "改为“，”" in entries
    QApplication.sendEvent(editor.viewport(), QHelpEvent(QHelpEvent.Type.ToolTip, right_half,
                                                         editor.viewport().mapToGlobal(right_half)))
    qtbot.waitUntil(lambda: "中文里用了半角“,”" in QToolTip.text().split("\n")[0])
    star = TEXT.index("*")
    left, right, y = _box(editor, star)
    QApplication.sendEvent(editor.viewport(), QHelpEvent(QHelpEvent.Type.ToolTip, QPoint(right - 1, y),
                                                         editor.viewport().mapToGlobal(QPoint(right - 1, y))))
    qtbot.waitUntil(lambda: "空白" in QToolTip.text())
    # just past the character's box: the next character's, and no finding there
    QApplication.sendEvent(editor.viewport(), QHelpEvent(QHelpEvent.Type.ToolTip, QPoint(right + 1, y),
                                                         editor.viewport().mapToGlobal(QPoint(right + 1, y))))
    qtbot.waitUntil(lambda: not QToolTip.isVisible() or "空白" not in QToolTip.text())


def test_undo_of_a_right_click_fix_returns_to_the_fixed_place(active, qtbot):
    editor = active.editor
    comma = TEXT.index(",")
    left, right, y = _box(editor, comma)
    _right_click(qtbot, editor, QPoint((left + right) // 2, y), "改为“，”")
    assert editor.toPlainText()[comma] == "，"
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == TEXT
    assert comma <= editor.textCursor().position() <= comma + 1  # at the comma again, not 第1段第1字
    assert "第1段，第1字" not in active.position_label.text()


def test_undo_of_fix_all_returns_to_the_first_fixed_place(active, qtbot):
    editor = active.editor
    row = next(r for r in active.checklist.rows() if r.text(0).endswith("标点符号"))
    tree = active.checklist.tree
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(row).center())
    button = active.checklist.fix_all
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())
    assert "," not in editor.toPlainText() and ";" not in editor.toPlainText()
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == TEXT
    assert editor.textCursor().position() == TEXT.index(",")
