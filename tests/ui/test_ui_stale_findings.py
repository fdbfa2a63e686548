"""A finding from an older check points at the right text after typing, and never at new text.

The debounce is driven by hand: the runner is synchronous, so a check runs only when the test fires
the timer (or calls start_check); typing in between leaves the window with an older result.
"""
from __future__ import annotations

from test_ui import type_text

TEXT = "市审计局2024年度全面从严治党主体责任落实情况报告\n一、工作情况\n召开党组会*次，研究议题*项，开展谈话*次。\n"


def _blanks(window):
    row = next(r for r in window.checklist.rows() if r.text(0).endswith("空白待填"))
    return [row.child(i) for i in range(row.childCount())]


def _click(window, item):
    window.checklist.tree.itemClicked.emit(item, 0)


def test_typing_between_a_check_and_a_click_selects_the_right_blank(window):
    window.set_text(TEXT, None)
    first, second, third = _blanks(window)[:3]
    _click(window, first)
    assert window.editor.textCursor().selectedText() == "*"
    type_text(window.editor, "12")  # replaces the selected blank
    # the debounce has not fired: the checklist still holds the check made before typing
    assert window.check_timer.isActive() and window.checked_revision != window.revision
    _click(window, second)
    cursor = window.editor.textCursor()
    assert cursor.selectedText() == "*"
    assert window.editor.toPlainText()[cursor.selectionStart() - 4:cursor.selectionEnd() + 1] == "研究议题*项"
    type_text(window.editor, "30")
    _click(window, third)
    assert window.editor.textCursor().selectedText() == "*"
    type_text(window.editor, "5")
    assert "召开党组会12次，研究议题30项，开展谈话5次。" in window.editor.toPlainText()
    window.check_timer.timeout.emit()  # the debounce fires: a fresh check
    assert window.checked_revision == window.revision
    assert not [f for f in window.result.findings if f.rule == "placeholder"]


def test_a_finding_whose_text_was_edited_selects_nothing_and_rechecks(window):
    window.set_text(TEXT, None)
    first = _blanks(window)[0]
    _click(window, first)
    type_text(window.editor, "1")  # the blank is gone, "1" typed in its place
    window.check_timer.stop()
    stale_revision = window.checked_revision
    _click(window, first)  # the same old row, clicked again before any check
    assert window.editor.textCursor().selectedText() == ""  # the typed "1" is not selected
    type_text(window.editor, "2")  # so typing on does not overwrite it
    assert "召开党组会12次" in window.editor.toPlainText()
    assert window.checked_revision > stale_revision  # the click asked for a check at once
    assert "已经改动" in window.statusBar().currentMessage()


def test_an_old_fix_applies_where_its_text_moved_to(window):
    window.set_text("第一段。\n学习xjp重要讲话精神。", None)
    term = next(f for f in window.result.findings if f.rule == "term")
    cursor = window.editor.textCursor()
    cursor.setPosition(0)
    window.editor.setTextCursor(cursor)
    type_text(window.editor, "新增的开头，")
    assert window.editor.apply_fixes([term]) == 1
    assert window.editor.toPlainText() == "新增的开头，第一段。\n学习习近平总书记重要讲话精神。"


def test_an_old_fix_is_not_applied_over_new_text(window):
    window.set_text("学习xjp重要讲话精神。", None)
    term = next(f for f in window.result.findings if f.rule == "term")
    cursor = window.editor.textCursor()
    cursor.setPosition(4)  # between "xj" and "p"
    window.editor.setTextCursor(cursor)
    type_text(window.editor, "新")
    assert window.editor.apply_fixes([term]) == 0
    assert window.editor.toPlainText() == "学习xj新p重要讲话精神。"


def test_the_context_menu_offers_fixes_after_typing_elsewhere(window):
    window.set_text("学习xjp重要讲话精神。", None)
    cursor = window.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    window.editor.setTextCursor(cursor)
    type_text(window.editor, "另起一句。")
    assert "term" in [f.rule for f in window.editor.findings_at(3)]
    assert window.editor.findings_at(len("学习xjp重要讲话精神。") + 1) == []  # inside the new text


def test_mapping_through_edits_before_after_and_inside():
    from PySide6.QtWidgets import QApplication  # noqa: F401 - the qapp fixture is not needed here

    from ui.editor import ReportEditor

    editor = ReportEditor()
    editor.setPlainText("甲乙丙丁戊己庚")
    editor.show_findings("甲乙丙丁戊己庚", [])
    span = (2, 4)  # 丙丁
    cursor = editor.textCursor()
    cursor.setPosition(6)
    cursor.insertText("后")  # after: no change
    assert editor.current_span(*span) == (2, 4)
    cursor.setPosition(4)
    cursor.insertText("紧")  # right behind the span: no change
    assert editor.current_span(*span) == (2, 4)
    cursor.setPosition(0)
    cursor.insertText("前前")  # before: moves by two
    assert editor.current_span(*span) == (4, 6)
    assert editor.live_cursor(*span).selectedText() == "丙丁"
    cursor.setPosition(5)
    cursor.insertText("中")  # inside: gone
    assert editor.current_span(*span) is None and editor.live_cursor(*span) is None


def test_a_hint_over_several_lines_is_underlined_on_its_first_line_only(window):
    # A hard-wrapped page gets one hint spanning every line; underlining all of it read as if the
    # whole text were wrong. Errors and warnings keep their whole span.
    from core.check.findings import Finding

    text = "第一行文字在这里\n第二行文字接着\n第三行文字结束。\n另一段。"
    window.editor.setPlainText(text)
    hint = Finding(rule="truncated", severity="info", message="提示", start=0, end=text.index("另") - 1)
    error = Finding(rule="placeholder", severity="error", message="错误", start=4, end=text.index("第三") + 2)
    window.editor.show_findings(text, [hint, error])
    spans = sorted((s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in window.editor.extraSelections())
    to_qt = window.editor.positions.to_qt
    assert spans == [(to_qt(0), to_qt(text.index("\n"))), (to_qt(4), to_qt(text.index("第三") + 2))]
    assert hint in window.editor.findings_at(to_qt(text.index("第二")))  # the tip still covers it all
