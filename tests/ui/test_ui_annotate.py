"""The window's way back into Word: 文件 → 导出带批注的 Word 文档, and the batch dialog's two options."""
from __future__ import annotations

import shutil
import zipfile

import pytest
from helpers import CLEAN, read_fixture
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QPushButton
from test_annotate import CHANGED_PARTS, rich_docx

from core.files.settings import Settings
from ui.batch_dialog import ANNOTATED_NAME, RESULT_NAME, TONGBAO_NAME, BatchDialog

ANNUAL = next(p for p in CLEAN if p.name == "zhuti_2024_annual.txt")


@pytest.fixture
def window(make_window, monkeypatch):
    # opening the .docx with a picture says the picture was not read as text
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    return make_window()


def _save_to(monkeypatch, path):
    asked = []

    def fake(parent, caption, suggested, *_a, **_k):
        asked.append(suggested)
        return str(path), ""

    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getSaveFileName", fake)
    return asked


def _export(window, qtbot):
    file_menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title().startswith("文件"))  # see test_ui_chinese
    action = next(a for a in file_menu.actions() if a.text().startswith("导出带批注"))
    action.trigger()
    thread = window.annotate_thread
    assert thread is not None
    # a condition, not the finished signal: a thread that ends between isRunning() and connecting
    # to its signal would never be seen to finish (this failed once under PySide6 6.8). What the
    # window shows of the outcome arrives as a queued signal: the caller waits for that too.
    qtbot.waitUntil(lambda: thread.isFinished(), timeout=30000)
    return thread


def _parts(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_menu_annotates_the_opened_word_file_itself(window, qtbot, tmp_path, monkeypatch):
    source = rich_docx(tmp_path)
    before = _parts(source)
    assert window.open_file(source)
    out = tmp_path / "审阅后.docx"
    asked = _save_to(monkeypatch, out)
    _export(window, qtbot)
    assert asked == [str(tmp_path / "市审计局报告_审阅.docx")]  # beside the original
    after = _parts(out)
    assert "word/comments.xml" in after
    for name in set(before) - CHANGED_PARTS:
        assert after[name] == before[name], name  # the picture, header, styles untouched
    qtbot.waitUntil(lambda: "已导出带批注的文档" in window.notice.text(), timeout=10000)
    assert _parts(source) == before


def test_menu_exports_typed_text_with_comments(window, qtbot, tmp_path, monkeypatch):
    window.set_text(read_fixture(ANNUAL).replace("全年召开党组会26次", "全年召开党组会*次"), None, modified=True)
    out = tmp_path / "新报告_审阅.docx"
    _save_to(monkeypatch, out)
    _export(window, qtbot)
    comments = _parts(out)["word/comments.xml"].decode("utf-8")
    assert "空白待填" in comments and "报告助手审阅意见" in comments
    assert "仿宋_GB2312" in _parts(out)["word/document.xml"].decode("utf-8")


def _click_when_shown(text: str, seen: list):
    def click():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, click)  # not shown yet: look again on the next turn of the loop
            return
        seen.append(box.text())
        next(b for b in box.findChildren(QPushButton) if b.text() == text).click()
    QTimer.singleShot(0, click)


def test_a_changed_word_report_asks_which_text_to_annotate(window, qtbot, tmp_path, monkeypatch):
    source = rich_docx(tmp_path)
    assert window.open_file(source)
    window.editor.appendPlainText("新加的一段，党组会*次。")
    out = tmp_path / "按当前文字.docx"
    _save_to(monkeypatch, out)
    seen = []
    _click_when_shown("按当前文字导出", seen)
    _export(window, qtbot)
    assert seen and "已经修改过" in seen[0]
    document = _parts(out)["word/document.xml"].decode("utf-8")
    assert "新加的一段" in document and "仿宋_GB2312" in document  # the editor's text, exported

    out2 = tmp_path / "原文件.docx"
    _save_to(monkeypatch, out2)
    _click_when_shown("批注原文件", seen)
    _export(window, qtbot)
    assert "新加的一段" not in _parts(out2)["word/document.xml"].decode("utf-8")
    assert _parts(out2)["word/media/image1.png"] == _parts(source)["word/media/image1.png"]


def test_export_over_the_original_is_refused_with_a_message(window, qtbot, tmp_path, monkeypatch):
    source = rich_docx(tmp_path)
    before = source.read_bytes()
    assert window.open_file(source)
    window.editor.appendPlainText("改了一句。")
    _save_to(monkeypatch, source)
    warnings = []
    monkeypatch.setattr("ui.annotate_export.QMessageBox.warning", lambda *a: warnings.append(a[2]))
    _click_when_shown("按当前文字导出", [])
    _export(window, qtbot)
    qtbot.waitUntil(lambda: bool(warnings), timeout=10000)
    assert "不能覆盖原文件" in warnings[0] and str(source) in warnings[0]
    assert source.read_bytes() == before


def test_batch_dialog_writes_annotated_copies_and_the_tongbao(qtbot, tmp_path):
    folder = tmp_path / "报告"
    folder.mkdir()
    for unit in ("市财政局", "市商务局", "市水务局"):
        text = read_fixture(ANNUAL).replace("市审计局", unit).replace("全年召开党组会26次", "全年召开党组会*次")
        (folder / f"{unit}.txt").write_text(text, encoding="utf-8")
    shutil.copy(rich_docx(tmp_path), folder / "市审计局.docx")
    dialog = BatchDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.workers = 1
    dialog.folder.setText(str(folder))
    assert dialog.annotate_dir.text() == str(folder / ANNOTATED_NAME)
    assert dialog.tongbao.text() == str(folder / TONGBAO_NAME)
    assert not dialog.annotate_dir.isEnabled() and not dialog.tongbao.isEnabled()
    dialog.annotate_box.setChecked(True)
    dialog.tongbao_box.setChecked(True)
    assert dialog.annotate_dir.isEnabled() and dialog.tongbao.isEnabled()
    dialog.start()
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=60000)
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=10000)
    annotated = folder / ANNOTATED_NAME
    assert sorted(p.name for p in annotated.glob("*.docx")) == ["市商务局.docx", "市审计局.docx", "市水务局.docx",
                                                           "市财政局.docx"]
    assert (folder / TONGBAO_NAME).is_file() and (folder / RESULT_NAME).is_file()
    status = dialog.status.text()
    assert "带批注的文档4份" in status and "情况通报草稿" in status
    assert dialog.open_tongbao_button.isEnabled() and not dialog.open_tongbao_button.isHidden()


def test_batch_dialog_without_the_options_writes_only_the_workbook(qtbot, tmp_path):
    folder = tmp_path / "报告"
    folder.mkdir()
    (folder / "a.txt").write_text(read_fixture(ANNUAL), encoding="utf-8")
    dialog = BatchDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.workers = 1
    dialog.folder.setText(str(folder))
    dialog.start()
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=60000)
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt", RESULT_NAME]
    assert dialog.open_tongbao_button.isHidden()
