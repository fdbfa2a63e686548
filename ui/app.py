"""Start the program: the application object, the main window, jieba in the background, crash recovery."""
from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from core import resources, segment


def run(argv: list[str]) -> int:
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName(resources.APP_NAME)
    from ui.main_window import MainWindow

    window = MainWindow()
    # jieba takes about a second to load; it loads now, not on the first keystroke that needs it.
    window.runner.start_call(segment.ensure_loaded)
    window.show()
    files = [a for a in argv if not a.startswith("-")]
    if not window.offer_restore() and files:
        window.open_file(files[0])
    return app.exec()
