"""Qt's own words in Chinese: its standard buttons, context menus and file dialogs."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

QT_CATALOGS = ("qtbase_zh_CN",)  # Qt's own words: standard buttons, context menus, file dialogs


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
    app.setProperty("qt_zh_loaded", loaded)
    return loaded
