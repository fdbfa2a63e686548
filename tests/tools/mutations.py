"""Show that the bad-input tests can fail: break the program on purpose, one way per check, in a copy of
the checkout, and run the tests that guard that check there. Each break must make them fail.

    python tests/tools/mutations.py            every break (about 10 minutes on 2 busy cores)
    python tests/tools/mutations.py --list     the breaks and the tests that must catch them
    python tests/tools/mutations.py --only read-only-export

A test that stays green with its check broken guards nothing (issue 24: an `a and b or c` in
test_bad_input.py passed without ever looking at the exit status). The architecture rules have the
same kind of test inside the suite (tests/test_architecture.py, test_each_rule_fails_on_a_broken_copy).

Last full run, 2026-12-06: the unbroken copy passed the 22 tests named here (3 min 40 s); all 12
breaks were caught (each in 5–40 s). With the old `returncode == 2 and "只读" in err or "权限" in err`
put back into test_bad_input.py, the read-only-export break passed unnoticed: the message says 权限.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BAD = "tests/files/test_bad_input.py"

# name -> (what the break does, {file: [(old, new), …]}, the tests that must fail)
MUTATIONS = {
    "empty-file": (
        "an empty or blank file is read as a report instead of refused",
        {"core/files/textio.py": [("        if size == 0:\n", "        if False:\n"),
                                  ("    if not text.strip():\n", "    if False:\n")]},
        [f"{BAD}::test_check_every_file_on_the_command_line"]),
    "binary-file": (
        "binary data is decoded as text",
        {"core/files/textio.py": [
            ('    if b"\\x00" in data:\n        raise ReadError(path, "这不是文本文件（含有二进制数据）。")\n', ""),
            ('    raise ReadError(path, "无法识别文件编码（不是 UTF-8、GBK/GB18030 或 UTF-16 文本），可能不是文本文件。")',
             '    return data.decode("latin-1")')]},
        [f"{BAD}::test_check_every_file_on_the_command_line"]),
    "broken-bytes": (
        "broken UTF-8 bytes are no longer flagged as 乱码",
        {"resources/rules/typos.toml": [("pattern = '\\uFFFD+'", "pattern = 'ZZZ-never'")]},
        [f"{BAD}::test_check_every_file_on_the_command_line"]),
    "encrypted-docx": (
        "an encrypted .docx ends in a traceback instead of a message",
        {"core/files/textio.py": [
            ('raise ReadError(p, "文档已加密或是旧版 .doc 格式，请在 Word/WPS 中取消密码并另存为 .docx 后再打开。")',
             'raise ValueError("encrypted")')]},
        [f"{BAD}::test_check_every_file_on_the_command_line"]),
    "unreadable-exit-status": (
        "`check` exits 0 although a file could not be read",
        {"core/cli.py": [("        if text is None:\n            status = 2\n            continue\n        result = check("
                          "text, report_type=args.type)",
                          "        if text is None:\n            continue\n        result = check("
                          "text, report_type=args.type)")]},
        [f"{BAD}::test_check_every_file_on_the_command_line"]),
    "input-touched": (
        "checking a file changes it on disk",
        {"core/files/textio.py": [('    p = Path(path)\n    try:\n        if not p.exists():',
                                   '    p = Path(path)\n    if p.is_file():\n        os.utime(p)\n    try:\n'
                                   '        if not p.exists():')]},
        [f"{BAD}::test_check_every_file_on_the_command_line"]),
    "emoji-offsets": (
        "offsets in --json are off after characters outside the BMP",
        {"core/cli.py": [('"start": f.start, "end": f.end,', '"start": f.start + 1, "end": f.end + 1,')]},
        [f"{BAD}::test_emoji_and_rare_characters_keep_offsets_right"]),
    "read-only-export": (
        "`export` into a read-only folder exits 0 (the check the and/or slip never made)",
        {"core/cli.py": [("        except ExportError as exc:\n            print(str(exc), file=sys.stderr)\n"
                          "            return 2",
                          "        except ExportError as exc:\n            print(str(exc), file=sys.stderr)\n"
                          "            return 0")]},
        [f"{BAD}::test_read_only_folder_through_the_command_line"]),
    "read-only-ledger": (
        "`ledger` into a read-only folder exits 0",
        {"core/cli.py": [("            print(str(exc), file=sys.stderr)\n            return 2  # the ledger itself",
                          "            print(str(exc), file=sys.stderr)\n            return 0  # the ledger itself")]},
        [f"{BAD}::test_read_only_folder_through_the_command_line",
         f"{BAD}::test_stats_export_compare_and_ledger_with_bad_files"]),
    "batch-drops-unreadable": (
        "batch review leaves unreadable files out of 总览",
        {"core/review/batch_workbook.py": [(
            "            if r.error:\n                row = [n, r.file] + [None] * (base - 3) + [f\"无法读取：{r.error}\"]\n"
            "                ws.append([self._cell(ws, v, fill=_UNREADABLE_FILL) for v in row]\n"
            "                          + [None] * (2 * len(groups)))\n                continue\n",
            "            if r.error:\n                continue\n")]},
        [f"{BAD}::test_batch_over_the_corpus_lists_every_file"]),
    "window-open-silent": (
        "the window refuses an unreadable file without saying why",
        {"ui/window_files.py": [('            QMessageBox.warning(self, "无法打开", str(exc))\n',
                                 "            pass\n")]},
        [f"{BAD}::test_open_every_file_in_the_window"]),
    "window-save-read-only": (
        "a save that fails empties the editor and writes no draft",
        {"ui/window_files.py": [(
            "            self.write_autosave()\n            QMessageBox.warning(self, \"保存失败\", f\"{exc}\\n\\n文字仍在编辑器中，"
            "并已自动保存一份草稿。\")\n            return False\n",
            "            self.editor.setPlainText(\"\")\n            QMessageBox.warning(self, \"保存失败\", str(exc))\n"
            "            return False\n")]},
        [f"{BAD}::test_window_saving_into_a_read_only_folder_keeps_the_text"]),
}


def _copy_checkout(target: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.splitlines()
    for name in files:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _pytest(folder: Path, tests: list[str]) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
                          cwd=folder, capture_output=True, text=True, env=env)
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    why = next((ln[1:].strip() for ln in lines if ln.startswith("E ")), "")  # the first failing assertion
    tail = (lines[-1:] or [""])[0]
    return proc.returncode, f"{tail}; {why[:160]}" if why else tail


def _apply(folder: Path, changes: dict) -> str | None:
    for file, replacements in changes.items():
        path = folder / file
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            if old not in text:
                return f"{file}: text to break not found (the code changed: update this break)"
            text = text.replace(old, new, 1)
        path.write_text(text, encoding="utf-8")
    return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--only", action="append", choices=list(MUTATIONS))
    args = parser.parse_args(argv)
    chosen = {k: v for k, v in MUTATIONS.items() if not args.only or k in args.only}
    if args.list:
        for name, (what, _, tests) in chosen.items():
            print(f"{name}: {what}\n    {' '.join(tests)}")
        return 0
    failures = 0
    with tempfile.TemporaryDirectory(prefix="mutations-") as tmp:
        clean = Path(tmp) / "clean"
        _copy_checkout(clean)
        every = sorted({t for _, _, tests in chosen.values() for t in tests})
        started = time.monotonic()
        code, tail = _pytest(clean, every)
        print(f"unbroken copy: {'passes' if code == 0 else 'FAILS'} ({tail}, {time.monotonic() - started:.0f} s)")
        if code != 0:
            return 2
        for name, (what, changes, tests) in chosen.items():
            folder = Path(tmp) / name
            shutil.copytree(clean, folder)
            problem = _apply(folder, changes)
            if problem:
                print(f"{name}: NOT APPLIED — {problem}")
                failures += 1
                continue
            started = time.monotonic()
            code, tail = _pytest(folder, tests)
            caught = code != 0
            failures += not caught
            print(f"{name}: {'caught' if caught else 'NOT CAUGHT'} — {what} ({tail}, {time.monotonic() - started:.0f} s)")
            shutil.rmtree(folder, ignore_errors=True)
    print("every break was caught" if not failures else f"{failures} break(s) not caught")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
