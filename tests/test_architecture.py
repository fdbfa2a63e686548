"""Project rules that hold for all code: core never imports Qt, nothing opens the network, the core layers
import only downwards (text < files < check < office < review < cli) over a base that imports no layer
(core.resources, core.messages, core.schema, core.regex_safety), no import cycle between core modules,
ui/ imports only Qt, the standard library, core and itself, the window starts without the rules, jieba,
openpyxl or python-docx, and every import left inside a function says why (# deferred: …). Read with
ast: nothing here imports the code it checks.

Each rule is a function of the source folder, so `test_each_rule_fails_on_a_broken_copy` can show
that it catches a forbidden import written into a copy of the code: a guard that cannot fail guards
nothing.
"""
from __future__ import annotations

import ast
import shutil
import sys
from functools import cache
from pathlib import Path

import pytest
from helpers import ROOT

FORBIDDEN_IN_CORE = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
NETWORK = ("socket", "urllib.request", "http.client", "requests", "httpx", "aiohttp", "ftplib", "smtplib")
# Each layer and the core packages it may import (besides itself and the base).
MAY_IMPORT = {
    "text": set(),
    "files": {"text"},
    "check": {"text", "files"},
    "office": {"text", "files", "check"},
    "review": {"text", "files", "check", "office"},
}
# The base every layer may use: data loading and its declarations, Chinese messages. It imports no layer.
BASE = {"core", "core.resources", "core.messages", "core.schema", "core.regex_safety"}
# What ui/ may import: Qt, the standard library, core and itself (jieba, openpyxl, python-docx only
# through core, which decides when they load).
UI_MAY_IMPORT = {"PySide6", "shiboken6", "core", "ui"}
# Modules the window must not load before it is shown: the rules and jieba belong to the check process,
# openpyxl and python-docx load at the first export (each costs a noticeable part of a second).
NOT_AT_WINDOW_START = ("core.check.engine", "core.check.rules", "core.check.examples", "core.text.segment",
                       "core.text.stats", "core.office.ledger", "core.office.annotate", "core.review",
                       "jieba", "openpyxl", "docx", "lxml")


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _parsed(text: str) -> ast.Module:
    return ast.parse(text)


def _tree(path: Path) -> ast.Module:
    """The file's syntax tree, parsed once per content (the rules run over the code and a copy of it)."""
    return _parsed(path.read_text(encoding="utf-8"))


def _imports(path):
    tree = _tree(path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def _type_checking_nodes(tree) -> set[int]:
    """Imports under `if TYPE_CHECKING:`: never run, so they make no cycle."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            out.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return out


def _resolved(node, module: str, is_package: bool) -> list[str]:
    """Absolute names an import statement asks for (from core.text import stats → core.text.stats)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[:len(package) - (node.level - 1)]
        base = ".".join([*package, *([base] if base else [])])
    return [base, *(f"{base}.{a.name}" for a in node.names)]


def _graph(root: Path, folder: str = "core", module_level: bool = False) -> dict[str, set[str]]:
    """module → the modules of core/ and ui/ it imports (`module_level`: leaving out imports inside
    functions); names outside them are kept as their top package ("jieba")."""
    files = {_module_name(p, root): p for f in ("core", "ui") for p in (root / f).rglob("*.py")}
    graph = {}
    for name, path in files.items():
        if not name.startswith(folder):
            continue
        tree = _tree(path)
        skip = _type_checking_nodes(tree)
        if module_level:
            skip |= {id(n) for fn in ast.walk(tree) if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
                     for n in ast.walk(fn)}
        targets = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in skip:
                for t in _resolved(node, name, path.name == "__init__.py"):
                    targets.add(t if t in files else t.split(".")[0] if t.split(".")[0] not in ("core", "ui")
                                else t.rsplit(".", 1)[0] if t.rsplit(".", 1)[0] in files else t)
        targets.discard(name)
        graph[name] = {t for t in targets if t in files or t.split(".")[0] not in ("core", "ui")}
    return graph


def _core_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """core module → the core modules it imports (at module level or inside functions)."""
    return {m: {t for t in targets if t.startswith("core")} for m, targets in _graph(root).items()}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "core" or len(parts) < 2:
        return None
    return "cli" if parts[1] == "cli" else parts[1] if parts[1] in MAY_IMPORT else None


# --- the rules, each a function of the source folder: what breaks it ------------------------------

def qt_in_core(root: Path) -> list:
    return [(p.name, m) for p in (root / "core").rglob("*.py") for m in _imports(p)
            if m.split(".")[0] in FORBIDDEN_IN_CORE]


def network_anywhere(root: Path) -> list:
    files = [*(root / "core").rglob("*.py"), *(root / "ui").rglob("*.py"), root / "main.py"]
    return [(p.name, m) for p in files for m in _imports(p) if any(m == n or m.startswith(n + ".") for n in NETWORK)]


def layer_offenders(root: Path, layer: str) -> list[tuple[str, str]]:
    allowed = MAY_IMPORT[layer] | {layer}
    out = []
    for module, targets in _core_graph(root).items():
        if _layer(module) != layer:
            continue
        for target in targets:
            if target in BASE or target.startswith("core.__"):
                continue
            if _layer(target) not in allowed:
                out.append((module, target))
    return sorted(out)


def base_offenders(root: Path) -> list[tuple[str, str]]:
    """The base (resources, messages, schema, regex_safety) imports nothing but itself."""
    return sorted((m, t) for m, targets in _core_graph(root).items() if m in BASE for t in targets
                  if t not in BASE)


def core_imports_ui_or_cli(root: Path) -> list:
    return [(_module_name(p, root), m) for p in (root / "core").rglob("*.py") for m in _imports(p)
            if (m == "ui" or m.startswith("ui.") or m == "core.cli") and _module_name(p, root) != "core.cli"]


def ui_imports_the_command_line(root: Path) -> list:
    return [(p.name, m) for p in (root / "ui").rglob("*.py") for m in _imports(p)
            if m == "core.cli" or (m == "core" and "cli" in _names_from(p, "core"))]


def ui_outside_imports(root: Path) -> list:
    """ui/ imports Qt, the standard library, core and ui only."""
    stdlib = sys.stdlib_module_names
    return sorted((p.name, m) for p in (root / "ui").rglob("*.py") for m in _imports(p)
                  if m.split(".")[0] not in UI_MAY_IMPORT | stdlib | {"__future__"})


def window_start_loads(root: Path) -> list[str]:
    """What the window's start (ui.app and everything it imports at module level) loads that belongs
    to the check process or to the first export."""
    graph = _graph(root, folder="", module_level=True)
    seen, stack = set(), ["ui.app"]
    while stack:
        module = stack.pop()
        if module in seen:
            continue
        seen.add(module)
        for target in graph.get(module, ()):
            parts = target.split(".")
            stack += [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
    return sorted(m for m in seen if any(m == n or m.startswith(n + ".") for n in NOT_AT_WINDOW_START))


def ui_calls_action_menu(root: Path) -> list:
    """PySide6 6.8 (the oldest supported) deletes a menu when the wrapper QAction.menu() returned is
    collected: ui/ keeps its own references to its menus instead, and the window's tests find menus as
    the menu bar's children."""
    files = [*(root / "ui").rglob("*.py"), *(root / "tests" / "ui").rglob("*.py")]
    return sorted((p.name, node.lineno) for p in files for node in ast.walk(_tree(p))
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "menu" and not node.args)


def _names_from(path, module: str) -> set[str]:
    tree = _tree(path)
    return {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module == module
            for a in n.names}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def cycles_in_core(root: Path) -> list[list[str]]:
    """A package importing its own submodules (core.check.rules → its rule modules, which import
    core.check.rules back for `rule`) is how rule registration works, so a package and its own
    children do not count as a cycle."""
    graph = _core_graph(root)
    return _cycles({m: {t for t in targets if not t.startswith(m + ".")} for m, targets in graph.items()})


def undeclared_deferred(root: Path) -> list[str]:
    out = []
    for path in [*(root / "core").rglob("*.py"), *(root / "ui").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        tree = _parsed(text)
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and not _says_deferred(lines, node.lineno - 1):
                    out.append(f"{path.relative_to(root)}:{node.lineno}")
    return sorted(set(out))


def _says_deferred(lines: list[str], i: int) -> bool:
    """`# deferred:` on the import's line or in the comment/import lines right above it (one comment
    may explain a block of deferred imports)."""
    if "# deferred:" in lines[i]:
        return True
    j = i - 1
    while j >= 0:
        stripped = lines[j].strip()
        if "# deferred:" in stripped:
            return True
        if not (stripped.startswith(("#", "import ", "from ")) or stripped.endswith(",")):
            return False
        j -= 1
    return False


def long_files(root: Path) -> dict[str, int]:
    """A file that grows past 600 lines is doing more than one job: split it by job (issue 15)."""
    files = [*(root / "core").rglob("*.py"), *(root / "ui").rglob("*.py"), root / "main.py"]
    return {str(p.relative_to(root)): n for p in files if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}


RULES = {
    "qt_in_core": qt_in_core,
    "network_anywhere": network_anywhere,
    **{f"layer_{layer}": (lambda root, layer=layer: layer_offenders(root, layer)) for layer in MAY_IMPORT},
    "base": base_offenders,
    "core_imports_ui_or_cli": core_imports_ui_or_cli,
    "ui_imports_the_command_line": ui_imports_the_command_line,
    "ui_outside_imports": ui_outside_imports,
    "window_start": window_start_loads,
    "ui_action_menu": ui_calls_action_menu,
    "cycles": cycles_in_core,
    "deferred": undeclared_deferred,
    "long_files": long_files,
}


@pytest.mark.parametrize("rule", RULES)
def test_the_code_keeps_the_rule(rule):
    assert not RULES[rule](ROOT)


# --- each rule fails on a copy of the code broken on purpose --------------------------------------

# rule -> (file, a line added at the top of it, or (old, new) replaced in it)
BREAKAGES = {
    "qt_in_core": ("core/text/wordcount.py", "from PySide6.QtCore import QObject  # noqa\n"),
    "network_anywhere": ("ui/labels.py", "import socket  # noqa\n"),
    "layer_text": ("core/text/numerals.py", "from core.files import atomic  # noqa\n"),
    "layer_files": ("core/files/settings.py", "from core.check import findings  # noqa\n"),
    "layer_check": ("core/check/findings.py", "from core.office import docx_export  # noqa\n"),
    "layer_office": ("core/office/docx_layout.py", "from core.review import reviews  # noqa\n"),
    "layer_review": ("core/review/reviews.py", "import core.cli  # noqa\n"),
    "base": ("core/messages.py", "from core.text import numerals  # noqa\n"),
    "core_imports_ui_or_cli": ("core/check/findings.py", "from ui import labels  # noqa\n"),
    "ui_imports_the_command_line": ("ui/labels.py", "from core import cli  # noqa\n"),
    "ui_outside_imports": ("ui/labels.py", "import openpyxl  # noqa\n"),
    "window_start": ("ui/labels.py", "from core.check.engine import check  # noqa\n"),
    "ui_action_menu": ("ui/labels.py", "def _first(window):\n    return window.menuBar().actions()[0].menu()\n\n\n"),
    "cycles": ("core/text/numerals.py", "from core.text import document  # noqa\n"),
    "deferred": ("core/text/numerals.py", ("def ", "def _late():\n    import json\n    return json\n\n\ndef ")),
    "long_files": ("core/text/numerals.py", "\n" * 600),
}


@pytest.fixture(scope="module")
def copy_of_the_code(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("code")
    for folder in ("core", "ui"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "main.py", root / "main.py")
    return root


def test_every_rule_has_a_breakage():
    assert set(BREAKAGES) == set(RULES)


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_fails_on_a_broken_copy(rule, copy_of_the_code):
    assert not RULES[rule](copy_of_the_code)  # the copy is as good as the code
    file, change = BREAKAGES[rule]
    path = copy_of_the_code / file
    original = path.read_text(encoding="utf-8")
    try:
        if isinstance(change, tuple):
            assert change[0] in original
            path.write_text(original.replace(change[0], change[1], 1), encoding="utf-8")
        else:
            path.write_text(change + original, encoding="utf-8")
        assert RULES[rule](copy_of_the_code), f"{rule} did not notice: {file}"
    finally:
        path.write_text(original, encoding="utf-8")
