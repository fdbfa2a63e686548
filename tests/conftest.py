"""Test configuration: Qt headless, and user data in a temporary folder for every test."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))
CLEAN = sorted((FIXTURES / "clean").glob("*.txt"))


@pytest.fixture(autouse=True)
def user_home(tmp_path_factory, monkeypatch):
    """Point the per-user data folder at a fresh temporary folder so tests never touch real data."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("REPORT_ASSISTANT_HOME", str(home))
    from core import resources

    resources.clear_cache()
    yield home
    resources.clear_cache()


def read_fixture(path: Path) -> str:
    return path.read_text(encoding="utf-8")
