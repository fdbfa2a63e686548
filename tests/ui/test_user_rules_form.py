"""The user's own word lists as a form: a table per list that writes the same TOML, and
problems named in Chinese at the row and column that is wrong."""
from __future__ import annotations

import tomllib

import pytest

from core.check import user_rules
from core.check.engine import check
from core.check.user_rules import WordRule, check_word_rules, read_word_rules, save_word_rules, word_rules_toml


def test_rows_become_the_toml_the_checker_reads(user_home):
    rows = [WordRule("市审计所", "市审计局", "本单位名称应写作“市审计局”。", "error", "市审计所党组研究部署。"),
            WordRule("布署", "部署", severity="warning")]
    save_word_rules("terms", rows)
    data = tomllib.loads((user_home / "rules" / "terms.toml").read_text(encoding="utf-8"))
    first = data["term"][0]
    assert (first["wrong"], first["right"], first["severity"]) == ("市审计所", "市审计局", "error")
    # the shipped lists' example shape: the wrong words marked, the corrected sentence beside
    assert first["example"] == "⟦市审计所⟧党组研究部署。" and first["counterexample"] == "市审计局党组研究部署。"
    assert read_word_rules("terms")[0][0].example == "市审计所党组研究部署。"
    found = [f for f in check("市审计所党组研究布署。").findings if f.rule == "term"]
    assert [(f.suggestion, f.severity) for f in found] == [("市审计局", "error"), ("部署", "warning")]
    assert found[0].message == "本单位名称应写作“市审计局”。"


def test_a_file_saved_with_the_old_example_keys_still_shows_its_example(user_home):
    (user_home / "rules").mkdir()
    (user_home / "rules" / "terms.toml").write_text(
        '[[term]]\nid = "old"\nwrong = "市审计所"\nright = "市审计局"\nbad = "市审计所党组。"\ngood = "市审计局党组。"\n',
        encoding="utf-8")
    rows, _ = read_word_rules("terms")
    assert [(r.wrong, r.example, r.extra) for r in rows] == [("市审计所", "市审计所党组。", {})]


def test_reading_back_gives_the_rows_and_keeps_what_a_table_cannot_show(user_home):
    (user_home / "rules").mkdir()
    (user_home / "rules" / "typos.toml").write_text(
        '[[typo]]\nid = "mine"\nwrong = "按排"\nright = "安排"\nin_titles = true\n\n'
        '[[typo]]\nid = "re"\npattern = \'截止(?=\\d)\'\nreplace = "截至"\n', encoding="utf-8")
    rows, others = read_word_rules("typos")
    assert [(r.wrong, r.right, r.id, r.extra) for r in rows] == [("按排", "安排", "mine", {"in_titles": True})]
    assert others == [{"id": "re", "pattern": "截止(?=\\d)", "replace": "截至"}]
    text = word_rules_toml("typos", rows, others)
    written = tomllib.loads(text)["typo"]
    assert written == [{"id": "mine", "wrong": "按排", "right": "安排", "severity": "error", "in_titles": True},
                       {"id": "re", "pattern": "截止(?=\\d)", "replace": "截至"}]


@pytest.mark.parametrize("row, column, fragment", [
    (WordRule("", "市审计局"), "wrong", "第1行“错误写法”：请填写"),
    (WordRule("市审计所", ""), "right", "第1行“正确写法”"),
    (WordRule("两个维护", "两个维护"), "right", "相同"),
    (WordRule("维护", "两个维护"), "right", "正则"),
    (WordRule("市审计所", "市审计局", example="全年召开党组会12次。"), "example", "示例中没有出现"),
    (WordRule("市审计所", "市审计局", message="应为{right}"), "message", "花括号"),
])
def test_problems_name_the_row_and_column(row, column, fragment):
    problems = check_word_rules([row])
    assert problems and problems[0].row == 0 and problems[0].column == column
    assert fragment in problems[0].message


def test_a_duplicate_is_named_at_its_second_row_and_empty_rows_are_ignored():
    problems = check_word_rules([WordRule("布署", "部署"), WordRule(), WordRule("布署", "部署")])
    assert [(p.row, p.column) for p in problems] == [(2, "wrong")]
    assert "已在第1行写过" in problems[0].message


def test_nothing_is_saved_when_a_row_is_wrong(user_home):
    with pytest.raises(ValueError, match="第2行"):
        save_word_rules("terms", [WordRule("市审计所", "市审计局"), WordRule("甲", "")])
    assert not (user_home / "rules" / "terms.toml").exists()


def test_the_dialog_marks_the_wrong_cell_and_saves_nothing(qtbot, user_home):
    from PySide6.QtGui import QColor

    from ui.main_window import UserRulesDialog

    dialog = UserRulesDialog()
    qtbot.addWidget(dialog)
    typos = dialog.tables["typos"]
    typos.set_cell(0, "wrong", "布署")
    typos.set_cell(0, "right", "部署")
    row = typos.add_row()
    typos.set_cell(row, "wrong", "按排")
    typos.set_cell(row, "example", "合理安排工作。")
    assert dialog.save() is False
    assert dialog.tabs.currentWidget() is typos
    assert "第2行“正确写法”" in dialog.status.text() and "另有1处" in dialog.status.text()
    assert typos.table.currentRow() == 1
    assert typos.table.item(1, 1).background().color() == QColor("#ffcdd2")
    assert typos.table.item(1, 4).background().color() == QColor("#ffcdd2")  # the example too
    assert not (user_home / "rules" / "typos.toml").exists()
    typos.set_cell(row, "right", "安排")
    typos.set_cell(row, "example", "合理按排工作。")
    typos.set_cell(row, "severity", "warning")
    assert dialog.save() is True
    rows, _ = read_word_rules("typos")
    assert [(r.wrong, r.right, r.severity) for r in rows] == [("布署", "部署", "error"), ("按排", "安排", "warning")]
    assert [f.suggestion for f in check("合理按排工作，认真布署。").findings if f.rule == "typo"] == ["安排", "部署"]
    assert not (user_home / "rules" / "terms.toml").exists()  # an untouched empty list writes no file


def test_the_example_files_still_validate():
    for f in user_rules.user_files():
        assert user_rules.validate(f.key, f.read()) is None


def test_a_row_whose_example_the_rules_do_not_catch_is_pointed_at_and_not_saved(qtbot, user_home):
    """The examples run as the checker would use the rows: here a shipped entry claims 布署 first and
    suggests 部署, so the user's 布置 would never be offered."""
    from PySide6.QtGui import QColor

    from ui.main_window import UserRulesDialog

    dialog = UserRulesDialog()
    qtbot.addWidget(dialog)
    typos = dialog.tables["typos"]
    typos.set_cell(0, "wrong", "布署")
    typos.set_cell(0, "right", "布置")
    typos.set_cell(0, "example", "认真布署本单位工作。")
    assert dialog.save() is False
    said = dialog.status.text()
    assert said.startswith("没有保存：第1行“示例”：⟦布署⟧处应建议“布置”") and "建议“部署”" in said
    assert typos.table.item(0, 4).background().color() == QColor("#ffcdd2")
    assert not (user_home / "rules" / "typos.toml").exists()
    typos.set_cell(0, "right", "部署")
    assert dialog.save() is True


def test_mistakes_already_in_the_file_are_shown_when_the_dialog_opens(qtbot, user_home):
    from ui.main_window import UserRulesDialog

    (user_home / "rules").mkdir()
    (user_home / "rules" / "terms.toml").write_text('[[term]]\nwrong = "市审计所"\nright = "市审计局"\n'
                                                    'severity = "eror"\n', encoding="utf-8")
    dialog = UserRulesDialog()
    qtbot.addWidget(dialog)
    terms = dialog.tables["terms"]
    box = terms.table.cellWidget(0, user_rules.COLUMNS.index("severity"))
    assert box.currentText() == "“eror”（无效）"  # shown as written, not silently turned into 错误
    assert dialog.status.text().startswith("文件中有误，检查时这一条暂不使用：第1行“级别”")
    assert "background" in box.styleSheet()
    assert dialog.save() is False  # until a level is chosen
    terms.set_cell(0, "severity", "warning")
    assert dialog.save() is True
    assert tomllib.loads((user_home / "rules" / "terms.toml").read_text(encoding="utf-8"))["term"][0][
        "severity"] == "warning"


def test_a_key_the_table_cannot_show_is_named_with_the_file_to_correct(qtbot, user_home):
    from ui.main_window import UserRulesDialog

    (user_home / "rules").mkdir()
    (user_home / "rules" / "terms.toml").write_text('[[term]]\nwrong = "市审计所"\nright = "市审计局"\n'
                                                    'mesage = "名称"\n', encoding="utf-8")
    dialog = UserRulesDialog()
    qtbot.addWidget(dialog)
    said = dialog.status.text()
    assert "第1行的“mesage”：没有这一项（是不是拼错了“message”？" in said
    assert "表格中没有这一项，请在文件" in said and "terms.toml" in said
