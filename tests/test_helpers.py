"""Tests share constants and functions through tests/helpers.py, never by importing conftest (pytest
loads conftest itself; importing it by name makes a second copy of its module and hides where a name
comes from)."""
from __future__ import annotations

import ast
from pathlib import Path

from helpers import ROOT


def conftest_imports(tests: Path) -> list[tuple[str, int]]:
    out = []
    for path in sorted(tests.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "conftest" for n in names):
                out.append((path.relative_to(tests).as_posix(), node.lineno))
    return out


def test_no_test_imports_conftest():
    assert conftest_imports(ROOT / "tests") == []


def test_an_import_of_conftest_is_found(tmp_path):
    (tmp_path / "test_a.py").write_text("from conftest import SEEDS\n", encoding="utf-8")
    (tmp_path / "test_b.py").write_text("def f():\n    import conftest\n", encoding="utf-8")
    assert conftest_imports(tmp_path) == [("test_a.py", 1), ("test_b.py", 2)]
