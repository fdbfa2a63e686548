"""What tests share besides fixtures: where the repository and its fixture reports are, and reading one.

Tests import it by name (`from helpers import SEEDS, read_fixture`); tests/conftest.py keeps only
pytest's configuration, fixtures and hooks.
"""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))  # the five real reports
CLEAN = sorted((FIXTURES / "clean").glob("*.txt"))  # reports that must stay free of findings


def read_fixture(path: Path) -> str:
    return path.read_text(encoding="utf-8")
