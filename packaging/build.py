"""Build the offline one-folder bundle: `python packaging/build.py` (Windows, Linux; macOS untested).

Runs PyInstaller on packaging/report_assistant.spec with fresh packaging/build and
packaging/dist folders, then prints where the bundle is, its size and the largest parts.
Run it with the Python of a venv that has the project and PyInstaller installed:

    python -m pip install -e . pyinstaller

PyInstaller does not cross-compile: the bundle runs on the OS (and CPU) it was built on.
"""
from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "report_assistant.spec"
DIST = HERE / "dist"
WORK = HERE / "build"
BUNDLE_NAME = "report-assistant"  # keep in step with BUNDLE_NAME in the spec
NEEDED = {"PySide6": "PySide6-Essentials", "jieba": "jieba", "openpyxl": "openpyxl", "docx": "python-docx"}


def fail(message: str) -> None:
    print(f"build.py: {message}", file=sys.stderr)
    sys.exit(1)


def check_environment() -> None:
    pip = f'"{sys.executable}" -m pip install'
    if importlib.util.find_spec("PyInstaller") is None:
        fail(f"PyInstaller is not installed for this Python ({sys.executable}).\n"
             f"  Install it (and the project) with:  {pip} -e \"{ROOT}\" pyinstaller")
    found = importlib.metadata.version("pyinstaller")
    if int(found.split(".")[0]) < 6:
        # the spec relies on PyInstaller 6 (the _internal/ layout, its Qt hook helpers)
        fail(f"PyInstaller {found} is too old; this spec was written for 6.x (tested with 6.22).\n"
             f"  Upgrade it with:  {pip} -U pyinstaller")
    missing = [dist for module, dist in NEEDED.items() if importlib.util.find_spec(module) is None]
    if missing:
        # PyInstaller bundles what it finds in this Python; a missing package would only show
        # up as a crash of the built program.
        fail(f"the program's own packages are missing here: {', '.join(missing)}.\n"
             f"  Install the project into this Python with:  {pip} -e \"{ROOT}\" pyinstaller")


def folder_size(folder: Path) -> tuple[int, int]:
    total = count = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            count += 1
    return total, count


def largest_parts(internal: Path, limit: int = 8) -> list[tuple[int, str]]:
    """Sizes inside _internal/, grouped: Qt's libraries, the Qt bindings, Python, other libraries…
    Symlinks (PyInstaller links some libraries to the top level on Linux) are not counted twice."""
    groups: dict[str, int] = {}
    for path in internal.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(internal).parts
        if rel[0] == "PySide6":
            if "plugins" in rel:
                key = "Qt plugins"
            elif rel[-1].startswith(("libQt6", "Qt6", "libicu", "icu")):
                key = "Qt libraries (Qt6*, ICU)"
            else:
                key = "PySide6 bindings"
        elif len(rel) == 1 and (".so" in rel[0] or rel[0].endswith(".dll")):
            key = "python runtime" if rel[0].startswith(("libpython", "python3")) else "other shared libraries"
        elif rel[0].startswith("python3") or rel[0] in ("base_library.zip", "lib-dynload"):
            key = "python runtime"
        else:
            key = rel[0] + ("/" if len(rel) > 1 else "")
        groups[key] = groups.get(key, 0) + path.stat().st_size
    return sorted(((size, name) for name, size in groups.items()), reverse=True)[:limit]


def glibc_needed(bundle: Path) -> str | None:
    """Newest GLIBC_x.y symbol version any file of the bundle asks for (Linux): the bundle only
    starts on a system with at least this glibc, so build on the oldest system to support."""
    objdump = shutil.which("objdump")
    if not sys.platform.startswith("linux") or objdump is None:
        return None
    newest = (0, 0)
    for path in bundle.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as fh:
            if fh.read(4) != b"\x7fELF":
                continue
        out = subprocess.run([objdump, "-T", str(path)], check=False, capture_output=True, text=True).stdout
        for major, minor in re.findall(r"GLIBC_(\d+)\.(\d+)", out):
            newest = max(newest, (int(major), int(minor)))
    return f"{newest[0]}.{newest[1]}" if newest > (0, 0) else None


def main() -> int:
    parser = argparse.ArgumentParser(description="Build the one-folder bundle with PyInstaller.")
    parser.add_argument("--verbose", action="store_true", help="show PyInstaller's INFO log")
    args = parser.parse_args()
    check_environment()

    # Fresh output every time: a stale build/ folder can hide a missing file.
    for folder in (DIST, WORK):
        shutil.rmtree(folder, ignore_errors=True)
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
               "--distpath", str(DIST), "--workpath", str(WORK),
               "--log-level", "INFO" if args.verbose else "WARN", str(SPEC)]
    print("Running:", " ".join(command), flush=True)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, check=False)
    seconds = time.perf_counter() - started
    bundle = DIST / BUNDLE_NAME
    if result.returncode != 0 or not bundle.is_dir():
        fail(f"PyInstaller failed (exit status {result.returncode}); see its messages above.")

    size, count = folder_size(bundle)
    print()
    print(f"Bundle:     {bundle}")
    for exe in sorted(p for p in bundle.iterdir() if p.is_file()):
        print(f"Program:    {exe.name}")
    print(f"Size:       {size / 1e6:.1f} MB in {count} files")
    print(f"Build time: {seconds:.0f} s")
    glibc = glibc_needed(bundle)
    if glibc:
        print(f"Runs on:    Linux x86_64 with glibc {glibc} or newer "
              f"(this machine: {' '.join(platform.libc_ver())})")
    internal = bundle / "_internal"
    if internal.is_dir():
        print("Largest parts of _internal/:")
        for part_size, name in largest_parts(internal):
            print(f"  {part_size / 1e6:6.1f} MB  {name}")
    print(f"\nNext: python \"{HERE / 'smoke_test.py'}\"   (tests the built bundle)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
