"""The window as a county-office clerk uses it all afternoon (issue 23): where dialogs start,
what a new report is filled with, what the panes show after one report gives way to another."""
from __future__ import annotations

from helpers import SEEDS, read_fixture
from PySide6.QtWidgets import QFileDialog


def test_the_first_ledger_export_starts_beside_the_report(window, tmp_path, monkeypatch):
    report = tmp_path / "报告" / "三季度报告.txt"
    report.parent.mkdir()
    report.write_text(read_fixture(SEEDS[1]), encoding="utf-8")
    assert window.open_file(report)
    offered = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: offered.append(a[2]) or ("", ""))
    window.export_ledger()
    assert offered == [str(report.parent / "台账.xlsx")]


def _copy(seed, folder):
    target = folder / seed.name
    target.write_text(read_fixture(seed), encoding="utf-8")
    return target


def test_a_type_chosen_by_hand_belongs_to_its_report(window, tmp_path):
    shuze, other = _copy(SEEDS[4], tmp_path), _copy(SEEDS[2], tmp_path)
    assert window.open_file(other)
    detected = window.result.document.meta.type
    assert detected != "tongbao"
    window.open_file(shuze)
    window.type_box.setCurrentIndex(window.type_box.findData("tongbao"))  # chosen by hand for this report
    assert window.result.document.meta.type == "tongbao" and "手动指定" in window.type_label.text()
    window.compare_with(other)
    window.doc.ledger = ("市审计局", "2023年度")
    window.open_file(other)  # another report: detected afresh, nothing of the first carries over
    assert window.type_box.currentData() == "" and window.report_type is None
    assert window.result.document.meta.type == detected and "手动指定" not in window.type_label.text()
    assert window.previous is None and window.doc.ledger is None
    assert not window.stop_compare_action.isEnabled()
    window.open_file(shuze)  # the choice is remembered with its report, like its comparison
    assert window.type_box.currentData() == "tongbao" and window.result.document.meta.type == "tongbao"
    assert window.previous_path == other
    assert "上次为这份报告选定的类型" in window.statusBar().currentMessage()


def test_a_new_report_has_nothing_of_the_one_open_before(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog

    window.open_file(_copy(SEEDS[4], tmp_path))
    window.type_box.setCurrentIndex(window.type_box.findData("tongbao"))
    monkeypatch.setattr("ui.dialogs.NewReportDialog.exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr("ui.dialogs.NewReportDialog.values", lambda self: ("zhuti", "市审计局", 2024, "第三季度"))
    window.new_from_template()
    assert window.report_type is None and window.result.document.meta.type == "zhuti"
    assert window.path is None and window.opened_path is None


def test_the_type_chosen_for_a_new_report_is_remembered_once_it_is_saved(window, tmp_path):
    window.set_text(read_fixture(SEEDS[2]), None)
    window.type_box.setCurrentIndex(window.type_box.findData("diyi"))
    target = tmp_path / "新报告.txt"
    assert window._write(target)
    assert window.settings.type_for(target) == "diyi"


def _activate(window, qtbot):
    with qtbot.waitActive(window):
        window.activateWindow()


def test_the_editor_has_the_keyboard_after_open_new_and_restore(make_window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

    window = make_window()
    _activate(window, qtbot)
    window.outline.setFocus()  # where the keyboard was left: the outline, the checklist …
    window.open_file(_copy(SEEDS[0], tmp_path))
    assert QApplication.focusWidget() is window.editor
    QTest.keyClicks(QApplication.focusWidget(), "ab")  # typing goes into the report at once
    assert "ab" in window.editor.toPlainText()

    window.checklist.tree.setFocus()
    monkeypatch.setattr("ui.dialogs.NewReportDialog.exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr("ui.dialogs.NewReportDialog.values", lambda self: ("zhuti", "市审计局", 2024, "第三季度"))
    window.editor.document().setModified(False)
    window.new_from_template()
    assert QApplication.focusWidget() is window.editor

    window.write_autosave()  # a draft left behind, as by a crash
    window.editor.document().setModified(False)
    again = make_window()
    again.autosave = window.autosave
    _activate(again, qtbot)
    again.outline.setFocus()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert again.offer_restore()
    assert QApplication.focusWidget() is again.editor
    QTest.keyClick(again.editor, Qt.Key.Key_End)


def test_the_checklist_starts_at_its_top_for_another_report(window, qtbot, tmp_path):
    """Opened groups, the selected row and the scrolling belong to the report they were made in."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.resize(1024, 700)
    window.open_file(_copy(SEEDS[0], tmp_path))
    tree = window.checklist.tree
    for row in window.checklist.rows():
        row.setExpanded(bool(row.childCount()))
    bar = tree.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    last = window.checklist.rows()[-1]
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(last).center())
    assert tree.currentItem() is last
    window.open_file(_copy(SEEDS[2], tmp_path))
    assert bar.value() == 0 and tree.currentItem() is None
    assert not any(row.isExpanded() for row in window.checklist.rows())
    assert not window.checklist.fix_all.isEnabled()


def test_findings_name_the_paragraph_as_the_status_bar_does(window, qtbot):
    """A user counts screen lines; the checklist and the status bar count paragraphs (第N段) and
    the row gives the paragraph's first words, so the place is found where the screen wraps it."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    long = "加强理论学习，" * 30 + "召开党组会*次。"
    window.set_text(f"市审计局2024年度全面从严治党主体责任落实情况报告\n一、工作情况\n{long}\n", None)
    window.resize(1024, 700)
    assert window.editor.document().findBlockByNumber(2).layout().lineCount() > 1  # wrapped on screen
    blanks = next(r for r in window.checklist.rows() if r.text(0).endswith("空白待填"))
    row = blanks.child(0)
    assert row.text(0).startswith("第3段“加强理论学习…”　")
    assert "第3段" in row.toolTip(0)
    tree = window.checklist.tree
    blanks.setExpanded(True)
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(row).center())
    assert window.editor.textCursor().selectedText() == "*"
    assert window.position_label.text().startswith("第3段，")


NUMBERED = ("市审计局2024年度全面从严治党主体责任落实情况报告\n一、工作情况\n（一）政治建设\n1、加强学习。\n"
            "2、推动落实。\n3、严格执行。\n（二）组织建设\n1、开展活动。\n2、召开会议。\n")


def _click_row(tree, row):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    tree.scrollToItem(row)
    QTest.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(row).center())
    assert tree.currentItem() is row


def test_fix_all_for_every_group_whose_findings_all_have_a_fix(window):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.set_text(NUMBERED, None)
    row = next(r for r in window.checklist.rows() if r.text(0).endswith("标题序号"))
    _click_row(window.checklist.tree, row)
    button = window.checklist.fix_all
    assert button.isEnabled() and button.text() == "全部修正“标题序号”（5处）"
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, pos=button.rect().center())
    assert "1、" not in window.editor.toPlainText() and "\n3.严格执行。" in window.editor.toPlainText()


def test_a_greyed_fix_all_says_why(window):
    window.set_text(NUMBERED + "召开党组会*次。\n", None)
    checklist = window.checklist
    assert "先在清单中选中一组" in checklist.fix_all.toolTip()
    blanks = next(r for r in checklist.rows() if r.text(0).endswith("空白待填"))
    _click_row(checklist.tree, blanks)
    assert not checklist.fix_all.isEnabled()
    assert "空白待填" in checklist.fix_all.toolTip() and "1处没有现成的改法" in checklist.fix_all.toolTip()
    passed = next(r for r in checklist.rows() if r.text(0).endswith("网页残留"))
    _click_row(checklist.tree, passed)
    assert checklist.fix_all.toolTip() == "“网页残留”没有需要修正的问题"


def _fill_new_report(qtbot, unit: str | None, body: str | None, seen: list):
    """Answer the 新建报告 dialog as a user: type the unit, pick the body, press OK."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.dialogs import NewReportDialog

    def answer():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NewReportDialog):
            QTimer.singleShot(10, answer)
            return
        if not hasattr(dialog, "body"):  # no such question: fail, never hang on the dialog
            dialog.reject()
            return
        seen.append((dialog.unit.text(), dialog.body.currentText()))
        if unit is not None:
            dialog.unit.setText(unit)
        if body is not None:
            dialog.body.setCurrentIndex(dialog.body.findText(body))
        dialog.accept()

    QTimer.singleShot(0, answer)


def test_new_asks_the_units_body_and_remembers_it(window, qtbot):
    seen = []
    _fill_new_report(qtbot, "某镇", "党委", seen)
    window.new_from_template()
    text = window.editor.toPlainText()
    assert "某镇党委坚持" in text and "召开党委会*次" in text and "党委书记讲党课" in text
    assert "党组" not in text.replace("党组织", "")
    assert (window.settings.unit, window.settings.body) == ("某镇", "党委")
    window.editor.document().setModified(False)
    _fill_new_report(qtbot, None, None, seen)  # the next 新建 starts from them
    window.new_from_template()
    assert seen[-1] == ("某镇", "党委")
    window.editor.document().setModified(False)
    _fill_new_report(qtbot, "县纪委监委", "党组", seen)  # a report for another unit: 设置 stays
    window.new_from_template()
    assert "县纪委监委党组" in window.editor.toPlainText()
    assert (window.settings.unit, window.settings.body) == ("某镇", "党委")


def test_the_status_bar_speaks_of_what_is_in_front_of_the_user(window, qtbot):
    """A finding's message goes when F6 and the arrows move on; 已修正 goes with the undo."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    text = "市审计局2024年度全面从严治党主体责任落实情况报告\n一、工作情况\n加强学习,推动落实;学习xjp重要讲话精神。\n"
    window.set_text(text, None)
    _activate(window, qtbot)
    editor, tree, bar = window.editor, window.checklist.tree, window.statusBar()
    QTest.keyClick(editor, Qt.Key.Key_F8)
    first = bar.currentMessage()
    assert first
    QTest.keyClick(editor, Qt.Key.Key_F6)  # the keyboard goes to the checklist: the message was about the text
    assert bar.currentMessage() != first
    row = next(r for r in window.checklist.rows() if r.text(0).endswith("规范提法"))
    tree.setCurrentItem(row)
    QTest.keyClick(tree, Qt.Key.Key_Return)
    QTest.keyClick(tree, Qt.Key.Key_Down)  # onto its finding: its message, not the old one
    assert "习近平" in bar.currentMessage()
    QTest.keyClick(tree, Qt.Key.Key_Up)  # back on the group row: no finding's message
    assert bar.currentMessage() == ""
    punctuation = next(r for r in window.checklist.rows() if r.text(0).endswith("标点符号"))
    _click_row(tree, punctuation)
    QTest.mouseClick(window.checklist.fix_all, Qt.MouseButton.LeftButton)
    assert "已修正2处" in bar.currentMessage()
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "," in editor.toPlainText() and "已修正" not in bar.currentMessage()


def test_export_results_are_shown_in_full(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from ui.dialogs import SignatureDialog

    window.resize(1024, 700)
    folder = tmp_path / ("很长的文件夹名称" * 6)
    folder.mkdir()
    target = folder / "市审计局2024年度全面从严治党主体责任落实情况报告（定稿）.docx"
    window.set_text("市审计局2024年度全面从严治党主体责任落实情况报告\n一、工作情况\n召开党组会12次。\n", None)
    monkeypatch.setattr(SignatureDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.export_docx()
    assert target.exists()
    label = window.notice.label
    qtbot.waitUntil(lambda: label.isVisible() and label.height() >= label.heightForWidth(label.width()))
    assert str(target) in label.text() and label.wordWrap()
    assert label.fontMetrics().horizontalAdvance(str(target)) > label.width()  # it wraps: too long for one line


def test_ctrl_y_redoes_and_undo_is_written_撤销_everywhere(window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit, QMenu

    window.set_text("学习重要讲话精神。", None)
    _activate(window, qtbot)
    editor = window.editor
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    QTest.keyClicks(editor, "ab")
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == "学习重要讲话精神。"
    QTest.keyClick(editor, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == "学习重要讲话精神。ab"
    # the menus as the menu bar's children: a wrapper from QAction.menu() deletes its menu under PySide6 6.8
    menus = window.menuBar().findChildren(QMenu)
    edit_menu = next(m for m in menus if m.title().startswith("编辑"))
    redo = next(a for a in edit_menu.actions() if a.text().startswith("重做"))
    assert redo.shortcut() == QKeySequence("Ctrl+Y")  # the one the menu shows
    words = [a.text() for m in menus for a in m.actions()]
    menu = editor.createStandardContextMenu()
    line = QLineEdit("x")
    line_menu = line.createStandardContextMenu()
    words += [a.text() for a in menu.actions() + line_menu.actions()]
    assert not [w for w in words if "撤消" in w]
    assert any(w.startswith("撤销") for w in words)


def test_hint_rows_are_blue_as_in_the_editor(window):
    from PySide6.QtGui import QColor

    from ui.editor import SEVERITY_COLOR
    from ui.panels import STATUS_COLOR

    window.set_text(read_fixture(SEEDS[1]), None)
    hints = [(row, row.child(i)) for row in window.checklist.rows() for i in range(row.childCount())
             if "[提示]" in row.child(i).text(0)]
    assert hints
    for row, child in hints:
        assert child.foreground(0).color() == QColor(SEVERITY_COLOR["info"])
        assert child.foreground(0).color() != QColor(STATUS_COLOR["pass"])
        if not any("[错误]" in row.child(i).text(0) or "[警告]" in row.child(i).text(0)
                   for i in range(row.childCount())):
            assert row.foreground(0).color() == QColor(SEVERITY_COLOR["info"]) and "提示" in row.toolTip(0)


def test_about_gives_the_readmes_entry_counts(window):
    import re

    from helpers import ROOT

    from core import resources

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    about = window.about_text()
    terms = len(resources.load("rules/terms.toml")["term"])
    dated = len(resources.load("rules/outdated.toml")["outdated"])
    context = len(resources.load("rules/typos.toml")["typo"])
    plain = len(resources.load("rules/typos_common.toml")["typo"])
    assert f"{terms} fixed formulations" in readme and f"{dated} dated ones" in readme
    assert f"{context} judged in context" in readme and f"{plain:,} plain pairs" in readme
    found = dict(re.findall(r"(规范提法|时间相关提法|错别字)(\d+)条", about))
    assert found == {"规范提法": str(terms), "时间相关提法": str(dated), "错别字": str(context + plain)}


def test_font_advice_follows_the_set_chosen(monkeypatch):
    from core.office.docx_export import FONT_SETS
    from ui import fonts

    present = {"Noto Serif CJK SC"}  # a Linux PC: none of the sets is installed
    monkeypatch.setattr(fonts.QFontDatabase, "hasFamily", staticmethod(lambda name: name in present))
    windows = fonts.font_report(FONT_SETS["windows"])
    assert "可以选“Windows 自带”" not in windows and "宋体→宋体" not in windows
    assert "宋体→本机的其他中文字体" in windows
    assert "可以选“Windows 自带”" in fonts.font_report(FONT_SETS["gb2312"])


def test_the_chart_caption_tells_the_norms_of_blank_counts(window):
    """Seed 000 gives every figure as a blank (讲党课*次): nothing is drawn, but 讲党课 has a
    quarterly norm, and the caption must not say that nothing in it has one."""
    window.set_text(read_fixture(SEEDS[0]), None)
    caption = window.stats.chart_caption.text()
    assert "都没有次数要求" not in caption
    assert "讲党课至少1次" in caption and "空白" in caption


def test_the_ledger_unit_confirmed_for_a_report_is_its_own(window, tmp_path, monkeypatch):
    """A unit typed over a blank one (市**局 → 市审计局) is offered again at this report's next
    export, and to no other report."""
    from PySide6.QtWidgets import QDialog

    from ui.ledger_export import LedgerExportDialog

    offered = []

    def confirm(dialog):
        offered.append(dialog.unit.text())
        dialog.unit.setText("市审计局")
        dialog.period.setText("2023年上半年")
        return QDialog.DialogCode.Rejected if len(offered) > 1 else QDialog.DialogCode.Accepted

    monkeypatch.setattr(LedgerExportDialog, "exec", confirm)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "台账.xlsx"), ""))
    monkeypatch.setattr("ui.ledger_export.LedgerExporter.start", lambda *a, **k: None)
    report = _copy(SEEDS[2], tmp_path)
    window.open_file(report)
    window.export_ledger()
    assert window.doc.ledger == ("市审计局", "2023年上半年")
    window.export_ledger()
    assert offered[1] == "市审计局"  # this report's confirmed unit, not the blank it states
    window.open_file(_copy(SEEDS[1], tmp_path))
    window.export_ledger()
    assert offered[2] != "市审计局" or "市审计局" in window.result.document.text
