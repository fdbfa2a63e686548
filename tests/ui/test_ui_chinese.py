"""Every word on screen is Chinese, Qt's own buttons and menus included."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _chinese(label: str) -> bool:
    """A label is Chinese when, apart from its shortcut (&C, Ctrl+C), it has Chinese and no English word."""
    text = re.sub(r"\(&\w\)|&", "", label.split("\t")[0])
    return bool(re.search(r"[\u4e00-\u9fff]", text)) and not LATIN_WORD.search(text)


def test_the_unsaved_changes_question_has_chinese_buttons(window, qtbot):
    window.editor.insertPlainText("未保存的文字。")
    seen = []

    def answer():
        box = QApplication.activeModalWidget()
        seen.extend(b.text() for b in box.buttons())
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, answer)
    window.close()
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert sorted(seen) == sorted(["保存", "不保存", "取消"])
    assert window.isVisible()  # 取消 keeps the window and the text
    assert window.editor.toPlainText() == "未保存的文字。"


def test_standard_buttons_of_other_questions_are_chinese(window):
    box = QMessageBox(QMessageBox.Icon.Question, "恢复草稿", "要恢复吗？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel, window)
    texts = [b.text() for b in box.buttons()]
    assert all(_chinese(t) for t in texts), texts


def test_the_editor_context_menu_is_chinese(window):
    window.editor.setPlainText("一段文字。")
    menu = window.editor.createStandardContextMenu()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert len(texts) >= 6 and all(_chinese(t) for t in texts), texts
    assert any(t.startswith("复制") for t in texts) and any(t.startswith("粘贴") for t in texts)


def test_the_self_check_reports_chinese_buttons(window, tmp_path):
    """What the bundle's smoke test reads from the packaged window."""
    import json

    from ui.app import self_check

    out = tmp_path / "check.json"
    assert self_check(window, str(out)) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["translations"] is True and "取消" in report["unsaved_buttons"]
    assert report["check"]["complete"] and report["check"]["placeholders"] == 1
    assert all(_chinese(t) for t in report["context_menu"])


@pytest.mark.parametrize("text, expected", [
    ("[[term]\n", "第1行"),
    ('[[term]]\nwrong = 市审计所\n', "英文引号"),
    ('[[term]]\nwrong = "市审计所\n', "引号没有配对"),
    ('[[term]]\nwrong "x"\n', "等号"),
])
def test_rule_file_errors_are_chinese(text, expected):
    from core.check import user_rules

    problem = user_rules.validate("terms", text)
    assert problem and expected in problem and not LATIN_WORD.search(problem.replace("wrong", "")), problem


def test_a_bad_pattern_is_explained_in_chinese():
    from core.check import user_rules

    problem = user_rules.validate("terms", '[[term]]\npattern = "市(审计"\nreplace = "x"\n')
    assert "圆括号" in problem and "第2个字符" in problem
    assert "missing" not in problem and "unterminated" not in problem


def test_toolbar_has_the_file_buttons(window):
    texts = [a.iconText() for a in window.file_toolbar.actions()]
    assert texts == ["新建", "打开", "保存", "导出"]


def test_help_and_about(window):
    from core import __version__, resources

    # found as the menu bar's child: with PySide6 6.8 a wrapper from QAction.menu() deletes the menu when it goes
    help_menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title().startswith("帮助"))
    assert [a.text() for a in help_menu.actions()] == ["使用说明(&H)", "关于(&A)"]
    window.show_help()
    shown = window._help_dialog.layout().itemAt(0).widget().toPlainText()
    assert "F8" in shown and "公文字体" in shown
    about = window.about_text()
    assert f"版本 {__version__}" in about  # the one version (pyproject reads it too: tests/cli/test_cli_rules.py)
    assert str(resources.user_data_dir()) in about
    assert "规范提法" in about and "错别字" in about
    assert f"统计事项{len(resources.load('stats.toml')['kind'])}条" in about


def test_about_counts_the_users_own_entries(window, user_home):
    from core.check.user_rules import WordRule, save_word_rules

    save_word_rules("typos", [WordRule("布署", "部署")])
    assert "（其中本单位词表1条）" in window.about_text()


def test_export_asks_for_the_signature_prefilled_from_the_report(window, tmp_path, monkeypatch):
    import datetime

    from PySide6.QtWidgets import QDialog, QFileDialog

    from core.files.textio import read_report
    from ui.main_window import SignatureDialog

    text = "中共市审计局党组2024年度落实全面从严治党主体责任情况的报告\n一、工作情况\n召开党组会12次。\n"
    window.set_text(text, None)
    seen = []

    def accept(dialog):
        seen.append((dialog.unit.text(), dialog.date.date().toPython(), dialog.date.text()))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SignatureDialog, "exec", accept)
    out = tmp_path / "定稿.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    window.export_docx()
    today = datetime.date.today()
    assert seen[0][0] == "中共市审计局党组"  # the body the title names signs the report
    assert seen[0][1] == today and seen[0][2] == f"{today.year}年{today.month}月{today.day}日"
    exported = read_report(out)
    assert exported.splitlines()[-2:] == [seen[0][0], f"{today.year}年{today.month}月{today.day}日"]


def test_a_report_with_its_own_signature_keeps_it(window):
    from ui.main_window import SignatureDialog

    text = "关于2024年度落实主体责任情况的报告\n一、工作情况\n召开党组会12次。\n\n中共市审计局党组\n2025年1月5日\n"
    dialog = SignatureDialog(text, "别的单位", None, window)
    assert dialog.has_signature and not dialog.add.isChecked() and dialog.values() == (None, None)


def test_the_export_question_does_not_list_zero_counts(window, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: asked.append(a[2]) or QMessageBox.StandardButton.No)
    window.set_text("关于2024年度落实主体责任情况的报告\n一、工作情况\n召开党组会*次。\n", None)
    window.export_docx()
    assert asked == ["报告中还有1处空白待填。仍然导出吗？"]
