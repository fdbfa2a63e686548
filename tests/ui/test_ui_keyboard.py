"""The keyboard alone: F8 / Shift+F8 through the findings, F6 (or Ctrl+Tab) to the checklist, arrows
and Enter there, Esc or F6 back to the editor; Tab in the editor is the text's."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

TEXT = "市审计局2024年度全面从严治党主体责任落实情况报告\n一、工作情况\n召开党组会*次，研究议题*项。\n学习xjp重要讲话精神。\n"


@pytest.fixture
def window(make_window):
    w = make_window()
    w.set_text(TEXT, None)
    return w


def _selected(window) -> str:
    return window.editor.textCursor().selectedText()


def _body_spans(window):
    """The spans of the findings inside the body (after the title line), in text order; two
    findings on the same words are one stop."""
    return sorted({(f.start, f.end) for f in window.result.findings if f.start > len(TEXT.split("\n")[0])})


def test_f8_and_shift_f8_are_in_the_menu(window):
    assert window.next_finding_action.shortcut() == QKeySequence(Qt.Key.Key_F8)
    assert window.previous_finding_action.shortcut() == QKeySequence("Shift+F8")
    edit_menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title().startswith("编辑"))  # see test_ui_chinese
    assert window.next_finding_action in edit_menu.actions()
    assert window.focus_checklist_action in edit_menu.actions()


def test_f8_goes_through_the_findings_in_text_order_and_wraps(window):
    cursor = window.editor.textCursor()
    cursor.setPosition(len(TEXT.split("\n")[0]) + 1)  # start of the body
    window.editor.setTextCursor(cursor)
    expected = _body_spans(window)
    seen = []
    for _ in expected:
        window.next_finding_action.trigger()
        c = window.editor.textCursor()
        seen.append((c.selectionStart(), c.selectionEnd()))
    assert seen == expected
    assert _selected(window) == "xjp"
    assert "习近平" in window.statusBar().currentMessage()  # the message is shown
    row = window.checklist.tree.currentItem()
    assert row is not None and "xjp" in row.text(0)  # and its checklist row is current
    window.previous_finding_action.trigger()
    assert (window.editor.textCursor().selectionStart(), window.editor.textCursor().selectionEnd()) == \
        expected[-2]
    window.next_finding_action.trigger()
    window.next_finding_action.trigger()  # past the last one: back to the first
    first = sorted(window.result.findings, key=lambda f: (f.start, f.end))[0]
    assert window.editor.textCursor().selectionStart() == first.start


def test_f8_after_typing_goes_to_where_the_finding_is_now(window):
    cursor = window.editor.textCursor()
    cursor.setPosition(len(TEXT.split("\n")[0]) + 1)
    window.editor.setTextCursor(cursor)
    window.editor.insertPlainText("新加的一段话，")  # no check yet
    window.check_timer.stop()
    window.next_finding_action.trigger()
    window.next_finding_action.trigger()
    assert _selected(window) == "*"
    c = window.editor.textCursor()
    assert window.editor.toPlainText()[c.selectionStart() - 5:c.selectionStart()] == "召开党组会"


def test_f6_focuses_the_checklist_arrows_preview_enter_goes_esc_returns(window, qtbot):
    tree = window.checklist.tree
    window.focus_checklist_action.trigger()
    assert window.focusWidget() is tree
    blanks = next(r for r in window.checklist.rows() if r.text(0).endswith("空白待填"))
    tree.setCurrentItem(blanks)
    QTest.keyClick(tree, Qt.Key.Key_Return)  # opens the group
    assert blanks.isExpanded()
    QTest.keyClick(tree, Qt.Key.Key_Down)  # onto its first finding: shown in the editor
    assert tree.currentItem() is blanks.child(0)
    assert _selected(window) == "*" and window.focusWidget() is tree  # the keyboard stays in the list
    QTest.keyClick(tree, Qt.Key.Key_Down)
    assert tree.currentItem() is blanks.child(1)
    second = window.editor.textCursor().selectionStart()
    QTest.keyClick(tree, Qt.Key.Key_Return)  # go there
    assert window.focusWidget() is window.editor
    assert window.editor.textCursor().selectionStart() == second and _selected(window) == "*"
    window.focus_checklist_action.trigger()
    QTest.keyClick(tree, Qt.Key.Key_Escape)
    assert window.focusWidget() is window.editor


@pytest.fixture
def active(window, qtbot):
    """The window active, as on a desktop: shortcuts and focus work as the user sees them."""
    with qtbot.waitActive(window):
        window.activateWindow()
    window.editor.setFocus()
    return window


def test_tab_belongs_to_the_text(active):
    """WPS/Word habit: Tab indents and what is typed next lands in the report, not in the checklist."""
    editor = active.editor
    cursor = editor.textCursor()
    cursor.setPosition(len(TEXT.split("\n")[0]) + 1)
    editor.setTextCursor(cursor)
    QTest.keyClick(editor, Qt.Key.Key_Tab)
    QTest.keyClicks(editor, "ab")
    assert QApplication.focusWidget() is editor
    assert editor.toPlainText().split("\n")[1] == "\tab一、工作情况"
    QTest.keyClick(editor, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)  # takes the tab back
    QTest.keyClicks(editor, "c")
    assert QApplication.focusWidget() is editor
    assert editor.toPlainText().split("\n")[1] == "abc一、工作情况"


@pytest.mark.parametrize("key, modifier", [(Qt.Key.Key_F6, Qt.KeyboardModifier.NoModifier),
                                           (Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)])
def test_f6_and_ctrl_tab_go_to_the_checklist_and_back(active, key, modifier):
    QTest.keyClick(active.editor, key, modifier)
    assert QApplication.focusWidget() is active.checklist.tree
    QTest.keyClick(active.checklist.tree, key, modifier)
    assert QApplication.focusWidget() is active.editor
    assert active.editor.toPlainText() == TEXT  # nothing was typed into the report on the way


def test_fix_all_names_its_group_and_count(window):
    window.set_text("加强学习,推动落实;严格\"三会一课\"。", None)
    row = next(r for r in window.checklist.rows() if r.text(0).endswith("标点符号"))
    window.checklist.tree.setCurrentItem(row)
    assert window.checklist.fix_all.text() == "全部修正“标点符号”（4处）"
    window.checklist.fix_all.click()
    assert "已修正4处" in window.statusBar().currentMessage()


def test_checklist_rows_show_the_words_they_are_about(window):
    blanks = next(r for r in window.checklist.rows() if r.text(0).endswith("空白待填"))
    first, second = blanks.child(0).text(0), blanks.child(1).text(0)
    assert first != second
    assert "召开党组会*次" in first and "议题*项" in second


def test_replace_one_at_a_time(window):
    from ui.main_window import FindReplaceDialog

    window.set_text("布署工作，再布署，三布署。", None)
    cursor = window.editor.textCursor()
    cursor.setPosition(0)
    window.editor.setTextCursor(cursor)
    dialog = FindReplaceDialog(window)
    dialog.find_box.setText("布署")
    dialog.replace_box.setText("部署")
    dialog._replace_one()  # finds the first
    assert window.editor.toPlainText() == "布署工作，再布署，三布署。" and _selected(window) == "布署"
    dialog._replace_one()  # replaces it, finds the second
    assert window.editor.toPlainText() == "部署工作，再布署，三布署。"
    assert window.editor.textCursor().selectionStart() == 6
    dialog._replace_one()
    assert window.editor.toPlainText() == "部署工作，再部署，三布署。"
    window.editor.undo()  # one replacement is one undo step
    assert window.editor.toPlainText() == "部署工作，再布署，三布署。"
