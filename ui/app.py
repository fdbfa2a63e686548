"""Start the program: the application object, Qt's Chinese words, the main window, crash recovery."""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from core import resources
from ui import logbook
from ui.dialogs import unsaved_changes_box
from ui.main_window import MainWindow
from ui.translations import install_qt_translations
from ui.worker import BackgroundRunner


def self_check(window, out: str) -> int:
    """`--self-check OUT.json`: what the packaged window shows in Qt's own words (the standard
    buttons of the unsaved-changes question, the editor's right-click menu), written to a file
    because a windowed program on Windows has no stdout. The bundle's smoke test reads it."""
    box = unsaved_changes_box(window)
    menu = window.editor.createStandardContextMenu()
    report = {"translations": bool(QApplication.instance().property("qt_zh_loaded")),
              "unsaved_buttons": [b.text() for b in box.buttons()],
              "context_menu": [a.text() for a in menu.actions() if not a.isSeparator()]}
    # and a check made by the worker process, as typing makes one (jieba included)
    window.set_text("市审计局2024年度全面从严治党主体责任落实情况报告\n一、工作情况\n召开党组会*次。\n", None)
    deadline = time.monotonic() + 60
    while (window.result is None or getattr(window.result, "pending_rules", ())) and time.monotonic() < deadline:
        window.runner.wait(1000)
        QApplication.processEvents()
    result = window.result
    report["check"] = None if result is None else {
        "placeholders": sum(1 for f in result.findings if f.rule == "placeholder"),
        "complete": not getattr(result, "pending_rules", ()), "worker": window.runner.service.pid}
    window.editor.document().setModified(False)
    Path(out).write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    return 0


def run(argv: list[str], service=None) -> int:
    """`service`: the check worker, started by main.py before Qt was even imported."""
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName(resources.APP_NAME)
    install_qt_translations(app)
    logbook.install(app)  # a log file and a Chinese message for any error nobody foresaw
    runner = BackgroundRunner(service=service)
    runner.preload()  # the check process loads its rules and jieba while the window is built
    window = MainWindow(runner=runner)
    if argv[:1] == ["--self-check"] and len(argv) > 1:
        return self_check(window, argv[1])
    window.show()
    files = [a for a in argv if not a.startswith("-")]
    if not window.offer_restore() and files:
        window.open_file(files[0])
    if window.result is None and window.checked_revision < 0 and not window.editor.toPlainText():
        runner.warm_up()  # nothing to check yet: jieba loads while the user picks a file
    runner.prepare_window()  # while the worker checks (or idles): not after its result arrives
    return app.exec()
