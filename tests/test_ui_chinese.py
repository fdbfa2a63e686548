"""Every word on screen is Chinese, Qt's own buttons and menus included."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from core.drafts import AutosaveStore
from core.settings import Settings
from ui.main_window import MainWindow
from ui.worker import BackgroundRunner

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _chinese(label: str) -> bool:
    """A label is Chinese when, apart from its shortcut (&C, Ctrl+C), it has Chinese and no English word."""
    text = re.sub(r"\(&\w\)|&", "", label.split("\t")[0])
    return bool(re.search(r"[\u4e00-\u9fff]", text)) and not LATIN_WORD.search(text)


@pytest.fixture
def window(qtbot, tmp_path):
    runner = BackgroundRunner()
    runner.synchronous = True
    w = MainWindow(settings=Settings(), runner=runner, autosave=AutosaveStore(tmp_path / "autosave"))
    qtbot.addWidget(w, before_close_func=lambda win: win.editor.document().setModified(False))
    w.show()
    return w


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
    assert all(_chinese(t) for t in report["context_menu"])


@pytest.mark.parametrize("text, expected", [
    ("[[term]\n", "第1行"),
    ('[[term]]\nwrong = 市审计所\n', "英文引号"),
    ('[[term]]\nwrong = "市审计所\n', "引号没有配对"),
    ('[[term]]\nwrong "x"\n', "等号"),
])
def test_rule_file_errors_are_chinese(text, expected):
    from core import user_rules

    problem = user_rules.validate("terms", text)
    assert problem and expected in problem and not LATIN_WORD.search(problem.replace("wrong", "")), problem


def test_a_bad_pattern_is_explained_in_chinese():
    from core import user_rules

    problem = user_rules.validate("terms", '[[term]]\npattern = "市(审计"\nreplace = "x"\n')
    assert "圆括号" in problem and "第2个字符" in problem
    assert "missing" not in problem and "unterminated" not in problem
