"""Redo the window's screenshots in docs/ (not a test: run it on a desktop or under Xvfb).

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tests/ui/make_screenshots.py [OUT_FOLDER]

Needs a CJK font (fonts-noto-cjk). Writes screenshot.png, window-1024x700.png, user-rules.png and
settings-fonts.png; each picture shows the window as a user sees it after the steps below.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
HOME = Path(tempfile.mkdtemp()) / "张三" / "report-assistant"
os.environ["REPORT_ASSISTANT_HOME"] = str(HOME)  # nothing of the real user's data in the pictures
os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def settle(app, rounds: int = 30) -> None:
    for _ in range(rounds):
        app.processEvents()


def main(out: Path) -> None:
    from core.files.drafts import AutosaveStore
    from core.files.settings import Settings
    from ui.dialogs import SettingsDialog
    from ui.main_window import MainWindow
    from ui.translations import install_qt_translations
    from ui.user_rules_dialog import UserRulesDialog
    from ui.worker import BackgroundRunner

    app = QApplication([sys.argv[0]])
    install_qt_translations(app)
    runner = BackgroundRunner()
    runner.synchronous = True
    window = MainWindow(settings=Settings(unit="市审计局"), runner=runner, autosave=AutosaveStore(HOME / "autosave"))
    window.resize(1280, 800)
    window.show()
    seed = next((ROOT / "tests" / "fixtures" / "seeds").glob("001_*.txt"))
    window.open_file(seed)
    settle(app)
    blanks = next(r for r in window.checklist.rows() if r.text(0).endswith("空白待填"))
    blanks.setExpanded(True)
    window.checklist.tree.setCurrentItem(blanks.child(0))
    window.checklist.tree.itemClicked.emit(blanks.child(0), 0)
    settle(app)
    window.grab().save(str(out / "screenshot.png"))
    window.resize(1024, 700)
    settle(app)
    window.grab().save(str(out / "window-1024x700.png"))

    rules = UserRulesDialog(window)
    rules.resize(900, 420)
    terms = rules.tables["terms"]
    terms.set_cell(0, "wrong", "市审计所")
    terms.set_cell(0, "right", "市审计局")
    terms.set_cell(0, "message", "本单位名称应写作“市审计局”。")
    terms.set_cell(0, "example", "市审计所党组研究部署全年工作。")
    terms.set_cell(0, "severity", "error")
    row = terms.add_row()
    terms.set_cell(row, "wrong", "一岗两职")
    terms.set_cell(row, "severity", "warning")
    terms.set_cell(row, "example", "落实一岗双责。")
    rules.show()
    rules.save()  # refused: the row has no correct form, and its example lacks the wrong one
    settle(app)
    rules.grab().save(str(out / "user-rules.png"))
    rules.close()

    settings = SettingsDialog(window.settings, window)
    settings.resize(560, 380)
    settings.show()
    settle(app)
    settings.grab().save(str(out / "settings-fonts.png"))
    settings.close()
    window.editor.document().setModified(False)
    QTimer.singleShot(0, window.close)
    settle(app)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
