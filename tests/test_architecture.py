"""Project rules that hold for all code: core never imports Qt, nothing opens the network."""
from __future__ import annotations

import ast

from conftest import ROOT

FORBIDDEN_IN_CORE = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
NETWORK = ("socket", "urllib.request", "http.client", "requests", "httpx", "aiohttp", "ftplib", "smtplib")


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_core_never_imports_qt():
    offenders = [(p.name, m) for p in (ROOT / "core").rglob("*.py") for m in _imports(p)
                 if m.split(".")[0] in FORBIDDEN_IN_CORE]
    assert offenders == []


def test_no_network_modules_anywhere():
    files = [*(ROOT / "core").rglob("*.py"), *(ROOT / "ui").rglob("*.py"), ROOT / "main.py"]
    offenders = [(p.name, m) for p in files for m in _imports(p)
                 if any(m == n or m.startswith(n + ".") for n in NETWORK)]
    assert offenders == []
