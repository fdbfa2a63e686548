"""Project rules that hold for all code: core never imports Qt, nothing opens the network, the core layers
import only downwards (text < files < check < office < review < cli), no import cycle between core
modules, and every import left inside a function says why (# deferred: …). Read with ast: nothing here
imports the code it checks."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

FORBIDDEN_IN_CORE = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
NETWORK = ("socket", "urllib.request", "http.client", "requests", "httpx", "aiohttp", "ftplib", "smtplib")
# Each layer and the core packages it may import (besides itself and the base: core.resources, core.messages).
MAY_IMPORT = {
    "text": set(),
    "files": {"text"},
    "check": {"text", "files"},
    "office": {"text", "files", "check"},
    "review": {"text", "files", "check", "office"},
}
BASE = {"core", "core.resources", "core.messages"}


def _imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


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


def _core_graph() -> dict[str, set[str]]:
    """core module → the core modules it imports (at module level or inside functions)."""
    files = {_module_name(p): p for p in (ROOT / "core").rglob("*.py")}
    graph = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_nodes(tree)
        targets = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in skip:
                targets.update(t for t in _resolved(node, name, path.name == "__init__.py") if t in files)
        targets.discard(name)
        graph[name] = targets
    return graph


def _layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "core" or len(parts) < 2:
        return None
    return "cli" if parts[1] == "cli" else parts[1] if parts[1] in MAY_IMPORT else None


def _layer_offenders(layer: str) -> list[tuple[str, str]]:
    graph = _core_graph()
    allowed = MAY_IMPORT[layer] | {layer}
    out = []
    for module, targets in graph.items():
        if _layer(module) != layer:
            continue
        for target in targets:
            if target in BASE or target.startswith("core.__"):
                continue
            if _layer(target) not in allowed:
                out.append((module, target))
    return sorted(out)


def test_core_never_imports_qt():
    offenders = [(p.name, m) for p in (ROOT / "core").rglob("*.py") for m in _imports(p)
                 if m.split(".")[0] in FORBIDDEN_IN_CORE]
    assert offenders == []


def test_no_network_modules_anywhere():
    files = [*(ROOT / "core").rglob("*.py"), *(ROOT / "ui").rglob("*.py"), ROOT / "main.py"]
    offenders = [(p.name, m) for p in files for m in _imports(p)
                 if any(m == n or m.startswith(n + ".") for n in NETWORK)]
    assert offenders == []


@pytest.mark.parametrize("layer", ["text", "files", "check", "office", "review"])
def test_layers_import_only_downwards(layer):
    assert _layer_offenders(layer) == []


def test_nothing_in_core_imports_ui_or_cli():
    offenders = [(_module_name(p), m) for p in (ROOT / "core").rglob("*.py") for m in _imports(p)
                 if (m == "ui" or m.startswith("ui.") or m == "core.cli") and _module_name(p) != "core.cli"]
    assert offenders == []


def test_ui_never_imports_the_command_line():
    offenders = [(p.name, m) for p in (ROOT / "ui").rglob("*.py") for m in _imports(p)
                 if m == "core.cli" or (m == "core" and "cli" in _names_from(p, "core"))]
    assert offenders == []


def _names_from(path, module: str) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
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


def _mine(modules) -> bool:
    return all(_layer(m) in ("text", "files", "cli") or (m.startswith("core.check.")
               and not m.startswith("core.check.rules")) or m in BASE for m in modules)


def test_no_import_cycle_in_my_layers():
    """A package importing its own submodules (core.check.rules → its rule modules, which import
    core.check.rules back for `rule`) is how rule registration works, so a package and its own
    children do not count as a cycle."""
    cycles = [c for c in _cycles(_without_package_registration(_core_graph())) if _mine(c)]
    assert cycles == []


def test_no_import_cycle_anywhere_in_core():
    assert _cycles(_without_package_registration(_core_graph())) == []


def _without_package_registration(graph):
    return {m: {t for t in targets if not t.startswith(m + ".")} for m, targets in graph.items()}


def _undeclared_deferred(paths) -> list[str]:
    out = []
    for path in paths:
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and not _says_deferred(lines, node.lineno - 1):
                    out.append(f"{path.relative_to(ROOT)}:{node.lineno}")
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


def _files_of(*globs):
    return [p for g in globs for p in ROOT.glob(g)]


def test_imports_inside_functions_say_why_in_my_layers():
    paths = _files_of("core/text/*.py", "core/files/*.py", "core/check/*.py", "core/*.py")
    assert _undeclared_deferred(paths) == []


def test_imports_inside_functions_say_why_everywhere():
    assert _undeclared_deferred([*(ROOT / "core").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]) == []


def test_no_source_file_over_600_lines():
    """A file that grows past this is doing more than one job: split it by job (issue 15)."""
    files = [*(ROOT / "core").rglob("*.py"), *(ROOT / "ui").rglob("*.py"), ROOT / "main.py"]
    long = {str(p.relative_to(ROOT)): n for p in files
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}
