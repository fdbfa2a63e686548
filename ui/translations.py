"""Qt's own words in Chinese: its standard buttons, context menus and file dialogs.

Qt's qtbase_zh_CN catalogue leaves some of the file dialog's words in English (Look in, Files of
type, Folder, "%1 File") and writes 撤消 where the program (and current usage) writes 撤销; a small
translator of our own, installed after it and so asked first, supplies those.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

QT_CATALOGS = ("qtbase_zh_CN",)  # Qt's own words: standard buttons, context menus, file dialogs

# (context, source) → Chinese; the disambiguation Qt passes ("All other platforms") does not matter here
SUPPLEMENT = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Look in:"): "查找范围：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileDialog", "File &name:"): "文件名(&N)：",
    ("QFileDialog", "File name:"): "文件名：",
    ("QFileDialog", "Show hidden files"): "显示隐藏文件",
    ("QFileSystemModel", "Size"): "大小",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Shortcut"): "快捷方式",
    ("QAbstractFileIconProvider", "%1 File"): "%1 文件",
    ("QAbstractFileIconProvider", "File"): "文件",
    ("QWidgetTextControl", "&Undo"): "撤销(&U)",
    ("QLineEdit", "&Undo"): "撤销(&U)",
}


class SupplementTranslator(QTranslator):
    def translate(self, context, source, disambiguation=None, n=-1):
        return SUPPLEMENT.get((context, source))  # None: not ours, the next translator is asked

    def isEmpty(self) -> bool:
        return False


def translation_folders() -> list[Path]:
    """Where Qt's .qm files are: Qt's own answer, then the places a PyInstaller bundle puts them
    (Qt's answer depends on how the bundle laid out the Qt libraries)."""
    folders = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    base = getattr(sys, "_MEIPASS", None)
    if base:
        folders += [Path(base) / "PySide6" / "Qt" / "translations", Path(base) / "PySide6" / "translations"]
    return folders


def install_qt_translations(app: QCoreApplication | None = None) -> bool:
    """Load Qt's Chinese catalogues once per application; True when they are in place."""
    app = app or QCoreApplication.instance()
    if app is None:
        return False
    if app.property("qt_zh_loaded"):
        return True
    loaded = False
    for name in QT_CATALOGS:
        translator = QTranslator(app)  # parented: lives as long as the application
        for folder in translation_folders():
            if translator.load(name, str(folder)):
                app.installTranslator(translator)
                loaded = True
                break
    # last installed, first asked: our words over the catalogue's
    app.installTranslator(SupplementTranslator(app))
    app.setProperty("qt_zh_loaded", loaded)
    return loaded
