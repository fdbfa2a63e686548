"""Test configuration: Qt headless, and user data in a temporary folder for every test."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from helpers import ROOT

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(ROOT))
# The tests sit in one folder per layer of core/ (plus ui and cli). Their module names are unique, and
# some share helpers by name across folders (from test_cli import run), so every folder is importable.
# What tests share besides fixtures is in tests/helpers.py (from helpers import SEEDS, read_fixture).
LAYERS = ("text", "files", "check", "office", "review", "cli", "ui")
sys.path[1:1] = [str(Path(__file__).resolve().parent / layer) for layer in LAYERS]


@pytest.fixture(autouse=True)
def user_home(tmp_path_factory, monkeypatch):
    """Point the per-user data folder at a fresh temporary folder so tests never touch real data.

    The shipped rule data stays loaded (word lists compiled) for the whole session: reloading it
    for every test cost about 0.4 s each. It is forgotten after a test only when what was loaded
    came from user data, or the test left user lists in its folder. A test that writes user lists
    calls resources.clear_cache() before checking, as the program does after saving them."""
    from core import resources, schema

    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("REPORT_ASSISTANT_HOME", str(home))
    yield home
    declared = schema.declared_files(resources.resources_dir())
    if resources.user_data_loaded() or any((home / name).exists() for name in declared):
        resources.clear_cache()


@pytest.fixture
def make_window(qtbot, tmp_path):
    """Build main windows whose checks run at once and whose closing at teardown never stops at
    the "save changes?" question; shown unless show=False."""
    # deferred: only the Qt tests load PySide6 and the window
    from core.files.drafts import AutosaveStore
    from core.files.settings import Settings
    from ui.main_window import MainWindow
    from ui.worker import BackgroundRunner

    def make(settings=None, show: bool = True):
        runner = BackgroundRunner()
        runner.synchronous = True  # the seam: checks run at once in tests
        w = MainWindow(settings=settings or Settings(), runner=runner, autosave=AutosaveStore(tmp_path / "autosave"))
        qtbot.addWidget(w, before_close_func=lambda win: win.editor.document().setModified(False))
        if show:
            w.show()
        return w

    return make


@pytest.fixture
def window(make_window):
    """One shown main window (see make_window)."""
    return make_window()

