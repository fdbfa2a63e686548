"""Every word of the program's file dialogs is Chinese, also in Qt's own dialog widget (the one
shown where the platform has no native dialog, as here offscreen): labels, buttons, tool tips,
the list's columns, file types and dates (2026年12月6日)."""
from __future__ import annotations

import os
import re
from datetime import datetime

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QTreeView,
    QWidget,
)

# product names and file name patterns stay as they are written in Chinese Windows too
ALLOWED = re.compile(r"Word|Excel|WPS|OpenDocument|KB|MB|GB|\*\.\w+|\b[A-Z]+ 文件")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def _english(texts) -> list[str]:
    return [t for t in texts if LATIN_WORD.search(ALLOWED.sub("", re.sub(r"&", "", t)))]


def _shown_dialog() -> QFileDialog | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()), None)


def _texts(dialog: QFileDialog) -> dict[str, list[str]]:
    """What the dialog shows in words: its widgets' texts and tips, its actions (the list's context
    menu), the list's header and the rows of the folder it shows."""
    words = []
    for w in dialog.findChildren(QWidget):
        if isinstance(w, (QLabel, QAbstractButton)) and w.text():
            words.append(w.text())
        if w.toolTip():
            words.append(w.toolTip())
        if isinstance(w, QComboBox) and w.objectName() != "lookInCombo":  # the folder path is the user's
            words += [w.itemText(i) for i in range(w.count())]
    words += [a.text() for a in dialog.findChildren(QAction) if a.text()]
    view = dialog.findChild(QTreeView, "treeView")
    model = view.model()
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    root = view.rootIndex()
    rows = [[model.index(r, c, root).data() or "" for c in range(4)] for r in range(model.rowCount(root))]
    return {"words": words, "header": header, "rows": rows}


@pytest.fixture
def folder(tmp_path):
    """Files of the kinds a drafter has, all last changed on 6 December 2026."""
    (tmp_path / "上期报告").mkdir()
    for name, size in (("报告.docx", 5000), ("草稿.txt", 10), ("台账.xlsx", 300), ("扫描件.pdf", 2_000_000)):
        (tmp_path / name).write_bytes(b"x" * size)
    when = datetime(2026, 12, 6, 9, 5).timestamp()
    for p in tmp_path.iterdir():
        os.utime(p, (when, when))
    return tmp_path


def _inspect_while_open(qtbot, open_dialog, rows: int):
    """Open a dialog the way the program does; read it once its list is filled, then cancel it."""
    seen = {}

    def look():
        dialog = _shown_dialog()
        view = dialog.findChild(QTreeView, "treeView") if dialog else None
        if view is None or view.model().rowCount(view.rootIndex()) < rows:
            QTimer.singleShot(20, look)  # the file system model fills the list from its own thread
            return
        seen.update(_texts(dialog))
        dialog.reject()

    QTimer.singleShot(0, look)
    open_dialog()
    assert seen, "no file dialog was shown"
    return seen


def test_the_open_dialog_is_chinese_throughout(window, qtbot, folder):
    window.settings.last_folder = str(folder)
    seen = _inspect_while_open(qtbot, window.open_dialog, 3)  # 报告 (*.txt *.docx) and the folder
    assert _english(seen["words"]) == []
    assert any("查找范围" in w for w in seen["words"]) and any("文件类型" in w for w in seen["words"])
    assert seen["header"] == ["名称", "大小", "类型", "修改日期"]
    rows = {r[0]: r for r in seen["rows"]}
    assert rows["上期报告"][2] == "文件夹"
    assert rows["报告.docx"][1:] == ["4.9 KB", "Word 文档", "2026年12月6日 09:05"]
    assert rows["草稿.txt"][1:3] == ["10 字节", "文本文档"]
    assert _english(cell for row in seen["rows"] for cell in row[1:]) == []


def test_the_save_dialog_is_chinese_throughout(window, qtbot, folder):
    window.set_text("市审计局2024年度全面从严治党主体责任落实情况报告\n", None)
    window.settings.last_folder = str(folder)
    seen = _inspect_while_open(qtbot, window.save_as, 2)  # .docx files and the folder
    assert _english(seen["words"]) == []
    assert "保存" in seen["words"] and "取消" in seen["words"]


def test_qt_words_the_catalogue_lacks_are_supplied(window):
    """qtbase_zh_CN leaves these in English (and writes 撤消): checked through Qt's own lookup."""
    from PySide6.QtCore import QCoreApplication

    translate = QCoreApplication.translate
    assert translate("QFileDialog", "Files of &type:") == "文件类型(&T)："
    assert translate("QAbstractFileIconProvider", "Folder", "All other platforms") == "文件夹"
    assert translate("QAbstractFileIconProvider", "%1 File", "All other platforms") == "%1 文件"
    assert translate("QWidgetTextControl", "&Undo") == "撤销(&U)"
    assert translate("QFileDialog", "&Open") == "打开(&O)"  # the catalogue's own words still answer


def test_sizes_as_explorer_writes_them():
    from ui.file_dialogs import chinese_size

    assert [chinese_size(n) for n in (0, 1023, 5000, 2_000_000, 30 * 2**30)] == \
        ["0 字节", "1023 字节", "4.9 KB", "1.9 MB", "30 GB"]
