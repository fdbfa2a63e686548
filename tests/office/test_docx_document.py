""".docx as the report's own file: saved losslessly in the GB/T 9704 layout, marked as written
here, saved in place when it is ours, never overwritten unasked when it is someone else's."""
from __future__ import annotations

import zipfile

import docx
import pytest
from helpers import CLEAN, SEEDS, read_fixture
from PySide6.QtWidgets import QFileDialog, QMessageBox

from core.files.drafts import AutosaveStore, SaveError
from core.files.settings import Settings
from core.files.textio import read_report
from core.office.docx_export import FONT_SETS, build_saved_document, save_docx, written_here
from ui.main_window import MainWindow, name_from_title
from ui.worker import BackgroundRunner

# Headings at four levels, a heading with its body on the same line, blank lines (two in a row),
# indentation, a tab, web residue, 附件 over two lines and the 落款.
REPORT = """市审计局党组2024年度落实全面从严治党主体责任情况的报告

市委：
　　现将我局2024年度落实全面从严治党主体责任情况报告如下：

一、工作落实情况
（一）强化政治建设。局党组召开会议12次。
1.抓学习。全年开展中心组学习*次。
（1）专题学习。\t学习3次。


##paidbegin##本文系作者原创投稿，仅供学习参考，请勿照搬照抄！##paidend##
二、存在的问题
理论学习不够深入。

附件：1.学习计划
      2.问题清单

市审计局党组
2025年1月5日
"""


@pytest.mark.parametrize("text", [REPORT, *[read_fixture(p) for p in (*SEEDS, *CLEAN)]],
                         ids=["crafted", *[p.stem for p in (*SEEDS, *CLEAN)]])
def test_a_saved_docx_reads_back_as_exactly_the_saved_text(tmp_path, text):
    path = tmp_path / "报告.docx"
    assert save_docx(text, path)["dropped"] == 0
    assert read_report(path) == text
    assert written_here(path)


def test_the_saved_docx_has_the_gbt9704_layout(tmp_path):
    path = tmp_path / "报告.docx"
    save_docx(REPORT, path, fonts=FONT_SETS["windows"])
    document = docx.Document(str(path))
    paragraphs = document.paragraphs
    title = paragraphs[0]
    assert title.alignment == 1  # centred
    fonts = {r._element.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) for p in paragraphs for r in p.runs}
    assert fonts == {"宋体", "黑体", "楷体", "仿宋"}
    signature = [p for p in paragraphs if p.text == "2025年1月5日"][0]
    assert signature.alignment == 2  # right
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.top_margin.mm) == 37


def test_control_characters_xml_cannot_hold_are_left_out_and_counted(tmp_path):
    path = tmp_path / "报告.docx"
    assert save_docx("第一行\x0c第二行\x01。", path)["dropped"] == 2
    assert read_report(path) == "第一行第二行。"


def test_a_docx_saved_by_word_is_not_ours(tmp_path):
    path = tmp_path / "报告.docx"
    save_docx(REPORT, path)
    edited = tmp_path / "Word改过.docx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(edited, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "docProps/app.xml":
                data = data.replace("主体责任报告助手".encode(), b"Microsoft Office Word")
            out.writestr(item, data)
    assert written_here(path) and not written_here(edited)
    plain = tmp_path / "别处.docx"
    docx.Document().save(str(plain))
    assert not written_here(plain) and not written_here(tmp_path / "没有.docx")


def test_saving_over_an_open_word_file_is_refused(tmp_path):
    path = tmp_path / "报告.docx"
    save_docx(REPORT, path)
    (tmp_path / "~$报告.docx").write_bytes(b"lock")
    before = path.read_bytes()
    with pytest.raises(SaveError, match="Word/WPS"):
        save_docx("新的文字", path)
    assert path.read_bytes() == before


def test_build_saved_document_is_one_paragraph_per_line():
    document, dropped = build_saved_document("标题报告\n\n正文。")
    assert [p.text for p in document.paragraphs] == ["标题报告", "", "正文。"] and dropped == 0


# --- in the window ---------------------------------------------------------------------------

@pytest.fixture
def window(qtbot, tmp_path):
    runner = BackgroundRunner()
    runner.synchronous = True
    w = MainWindow(settings=Settings(), runner=runner, autosave=AutosaveStore(tmp_path / "autosave"))
    qtbot.addWidget(w, before_close_func=lambda win: win.editor.document().setModified(False))
    w.show()
    return w


class SaveDialog:
    """Stands in for QFileDialog.getSaveFileName: records what it was offered, answers `answer`."""

    def __init__(self, answer=None):
        self.answer = answer
        self.offered = []

    def __call__(self, parent, caption, suggested, filters, selected=""):
        self.offered.append((suggested, filters, selected))
        return (str(self.answer), selected) if self.answer else ("", "")


def test_a_new_report_is_saved_as_docx_named_after_its_title(window, tmp_path, monkeypatch):
    window.settings.last_folder = str(tmp_path)
    window.set_text(REPORT, None, modified=True)
    dialog = SaveDialog(tmp_path / "年度报告")  # typed without a suffix
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    assert window.save()
    suggested, filters, selected = dialog.offered[0]
    assert suggested == str(tmp_path / "市审计局党组2024年度落实全面从严治党主体责任情况的报告.docx")
    assert filters.startswith("Word 文档 (*.docx)") and "文本文件 (*.txt)" in filters
    assert selected == "Word 文档 (*.docx)"
    saved = tmp_path / "年度报告.docx"
    assert window.path == saved and read_report(saved) == REPORT and written_here(saved)
    assert not window.editor.document().isModified()


def test_reopening_a_saved_docx_gives_back_the_text_and_saves_in_place(window, tmp_path, monkeypatch):
    path = tmp_path / "本期.docx"
    save_docx(REPORT, path)
    assert window.open_file(path)
    assert window.editor.toPlainText() == REPORT
    assert not window.editor.document().isModified() and window.path == path and not window.foreign_docx
    asked = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box.text()))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append("dialog") or ("", ""))
    window.editor.appendPlainText("补充一句。")
    assert window.save() and asked == []  # ours: saved in place, no question, no dialog
    assert read_report(path) == REPORT + "\n补充一句。"
    assert read_report(path.with_name("本期.docx.bak")) == REPORT  # the previous version kept


def test_a_word_document_from_elsewhere_is_not_overwritten_without_asking(window, tmp_path, monkeypatch):
    path = tmp_path / "单位报告.docx"
    document = docx.Document()
    for line in ("关于2024年度落实主体责任情况的报告", "一、工作情况", "召开会议12次。"):
        document.add_paragraph(line)
    document.save(str(path))
    original = path.read_bytes()
    assert window.open_file(path)
    assert window.foreign_docx and not window.editor.document().isModified()
    window.editor.appendPlainText("新加的一句。")

    answers = iter(["另存为新文件…"])
    questions = []

    def answer(box):
        questions.append(box.text())
        wanted = next(answers)
        box.button(QMessageBox.StandardButton.Cancel)  # the box has one
        for b in box.buttons():
            if b.text() == wanted:
                b.click()

    monkeypatch.setattr(QMessageBox, "exec", answer)
    dialog = SaveDialog()  # the user cancels the file dialog
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    assert window.save() is False
    assert "格式会丢失" in questions[0]
    assert dialog.offered[0][0] == str(tmp_path / "单位报告（修改稿）.docx")  # beside it, a new name
    assert path.read_bytes() == original

    answers = iter(["覆盖原文件"])
    assert window.save()
    assert read_report(path).endswith("新加的一句。")
    assert path.with_name("单位报告.docx.bak").read_bytes() == original
    assert not window.foreign_docx  # now it is ours: the next save does not ask
    questions.clear()
    window.editor.appendPlainText("再加一句。")
    assert window.save() and questions == []


def test_an_opened_text_file_saves_as_text_by_default(window, tmp_path, monkeypatch):
    path = tmp_path / "报告.txt"
    path.write_text(REPORT, encoding="utf-8")
    window.open_file(path)
    dialog = SaveDialog()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    window.save_as()
    assert dialog.offered[0][0] == str(path) and dialog.offered[0][2] == "文本文件 (*.txt)"


def test_dialogs_start_in_the_reports_folder(window, tmp_path, monkeypatch):
    folder = tmp_path / "2024年 报告"
    folder.mkdir()
    path = folder / "报告.txt"
    path.write_text(REPORT, encoding="utf-8")
    window.open_file(path)
    window.settings.last_folder = str(tmp_path)
    opened = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: opened.append(a[2]) or ("", ""))
    window.open_dialog()
    window.choose_previous()
    assert opened == [str(folder), str(folder)]


def test_names_from_titles_are_safe_file_names():
    assert name_from_title('关于"2024"年度/第一季度：报告?', ".docx") == "关于2024年度第一季度：报告.docx"  # full-width ： is allowed
    assert name_from_title(None, ".txt") == "报告.txt"
    assert name_from_title("  ", ".docx") == "报告.docx"


def test_crash_recovery_keeps_the_file_and_the_comparison(qtbot, tmp_path, monkeypatch):
    store = AutosaveStore(tmp_path / "autosave")
    old, current = tmp_path / "上期.txt", tmp_path / "本期.docx"
    old.write_text(read_fixture(CLEAN[0]), encoding="utf-8")
    save_docx(REPORT, current)
    runner = BackgroundRunner()
    runner.synchronous = True
    first = MainWindow(settings=Settings(), runner=runner, autosave=store)
    qtbot.addWidget(first, before_close_func=lambda win: win.editor.document().setModified(False))
    first.open_file(current)
    assert first.compare_with(old)
    first.editor.appendPlainText("崩溃前写的一句。")
    first.write_autosave()
    first.draft_id = "another-session"  # the first window "crashed": its draft stays behind

    again = MainWindow(settings=Settings(), runner=runner, autosave=store)  # no remembered pairs
    qtbot.addWidget(again, before_close_func=lambda win: win.editor.document().setModified(False))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    assert again.offer_restore()
    assert again.editor.toPlainText() == REPORT + "\n崩溃前写的一句。"
    assert again.path == current and again.editor.document().isModified()
    assert again.previous_path == old and again.result.comparison is not None


# --- fonts -------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["gb2312", "windows", "founder"])
def test_each_font_set_is_used_and_declared_with_its_substitute(tmp_path, key):
    from lxml import etree

    from core.office.docx_export import SUBSTITUTES, export_docx

    font_set = FONT_SETS[key]
    path = tmp_path / "导出.docx"
    export_docx(REPORT, path, fonts=font_set)
    with zipfile.ZipFile(path) as zf:
        body = zf.read("word/document.xml").decode("utf-8")
        table = etree.fromstring(zf.read("word/fontTable.xml"))
    assert f'w:eastAsia="{font_set.body}"' in body and f'w:eastAsia="{font_set.title}"' in body
    assert f'w:eastAsia="{font_set.heading[2]}"' in body
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    declared = {f.get(w + "name"): f for f in table.findall(w + "font")}
    for name in font_set.fonts():
        assert name in declared
        alt = declared[name].find(w + "altName")
        if SUBSTITUTES[name] != name:
            assert alt.get(w + "val") == SUBSTITUTES[name]


def test_the_settings_font_sets_match_the_exporter():
    from core.files.settings import FONT_SET_KEYS

    assert tuple(FONT_SETS) == FONT_SET_KEYS


def test_missing_fonts_are_named_with_what_word_shows_instead(qtbot, monkeypatch):
    from ui import fonts

    present = {"仿宋", "楷体", "黑体", "宋体"}  # a Windows 10 office PC
    monkeypatch.setattr(fonts.QFontDatabase, "hasFamily", staticmethod(lambda name: name in present))
    assert fonts.missing(FONT_SETS["windows"]) == []
    assert "全部字体" in fonts.font_report(FONT_SETS["windows"])
    assert fonts.missing(FONT_SETS["gb2312"]) == ["方正小标宋简体", "仿宋_GB2312", "楷体_GB2312"]
    report = fonts.font_report(FONT_SETS["gb2312"])
    assert "仿宋_GB2312→仿宋" in report and "方正小标宋简体→宋体" in report and "Windows 自带" in report


def test_the_settings_dialog_chooses_the_font_set_and_says_what_is_missing(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from ui import fonts
    from ui.main_window import SettingsDialog

    monkeypatch.setattr(fonts.QFontDatabase, "hasFamily", staticmethod(lambda name: name in {"仿宋", "楷体", "黑体", "宋体"}))
    dialog = SettingsDialog(window.settings, window)
    assert dialog.font_sets.currentData() == "gb2312" and "本机缺少" in dialog.font_note.text()
    dialog.font_sets.setCurrentIndex(dialog.font_sets.findData("windows"))
    assert "全部字体" in dialog.font_note.text()
    dialog.screen_font.setCurrentIndex(dialog.screen_font.findData("sans"))
    monkeypatch.setattr(SettingsDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr("ui.main_window.SettingsDialog", lambda *a: dialog)
    window.edit_settings()
    assert window.settings.font_set == "windows" and window.settings.screen_font == "sans"
    target = tmp_path / "新.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.set_text(REPORT, None, modified=True)
    assert window.save()
    body = zipfile.ZipFile(target).read("word/document.xml").decode("utf-8")
    assert 'w:eastAsia="仿宋"' in body and "仿宋_GB2312" not in body


def test_the_editor_shows_the_report_in_fangsong_or_the_nearest_font(window):
    from ui import fonts

    families = window.editor.font().families()
    assert families[0] in fonts.FANGSONG_LIKE and window.editor.font().pointSize() == window.settings.font_size
    installed = fonts.first_installed(fonts.FANGSONG_LIKE)
    assert installed is None or families[0] == installed
