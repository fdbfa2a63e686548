"""Smoke test of the built bundle: `python packaging/smoke_test.py [BUNDLE_FOLDER]`.

Runs the bundled programs, not the source: `check`, `export` (python-docx templates), `batch`
with worker processes (the spawn start method re-enters the frozen executable), `compare`, and
the window on Qt's offscreen platform, whose Qt buttons and menus must be Chinese (Qt's
translation packed and found; read through `--self-check`). Every run gets a fresh temporary REPORT_ASSISTANT_HOME;
the test checks that jieba's cache lands in its `cache` folder and not in the system temp folder.
It also times start-up and prints a table. Needs only the Python standard library; exits non-zero
with a message on the first failure.

Start-up times: "cold" is the first run with an empty per-user folder (jieba builds its cache);
on Linux the bundle's files are also dropped from the page cache first (posix_fadvise), as after
a reboot or when run from a USB stick. "warm" is the median of three further runs.
"""
from __future__ import annotations

import argparse
import html
import locale
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIXTURES = ROOT / "tests" / "fixtures" / "clean"
REPORT = FIXTURES / "zhuti_2024_annual.txt"
PREVIOUS = FIXTURES / "zhuti_2024_q3.txt"
GUI_NAME = "主体责任报告助手"  # keep in step with the spec
CLI_NAME = "report-assistant-cli"
EXE = ".exe" if sys.platform == "win32" else ""
TIMEOUT = 120  # seconds for any one command
# With this Qt logging rule, Qt says on stderr when it paints the main window for the first time.
PAINT_RULES = "qt.widgets.painting=true"
FIRST_PAINT = re.compile(r"Drawing .* of MainWindow\(")

# A short report: enough for the parser and every rule, small enough that start-up dominates.
TINY_REPORT = """关于2024年度落实全面从严治党主体责任情况的报告

一、主要工作
（一）强化政治建设。局党组召开专题会议12次。
二、存在的问题
（一）理论学习不够深入。
三、下一步工作打算
（一）针对理论学习不够深入的问题，完善学习制度。
"""


class SmokeFailure(Exception):
    pass


def fail(message: str) -> None:
    raise SmokeFailure(message)


def _child_encoding() -> tuple[str, dict]:
    """How to decode the programs' output, and any environment that takes.

    On Windows a console program writing to a pipe uses the ANSI code page: GBK on a Chinese
    Windows, which is what users have and what is tested. Where that code page has no Chinese
    (an English CI runner) the programs are run in Python's UTF-8 mode instead (the frozen
    program honours PYTHONUTF8), or every Chinese line would read "????"."""
    if sys.platform != "win32":
        return "utf-8", {}
    encoding = locale.getpreferredencoding(False)
    try:
        "检查清单".encode(encoding)
        return encoding, {}
    except (UnicodeEncodeError, LookupError):
        return "utf-8", {"PYTHONUTF8": "1"}


CHILD_ENCODING, CHILD_ENV = _child_encoding()


def output_encoding() -> str:
    return CHILD_ENCODING


class Bundle:
    def __init__(self, folder: Path, scratch: Path):
        self.folder = folder
        self.gui = folder / (GUI_NAME + EXE)
        self.cli = folder / (CLI_NAME + EXE)
        for exe in (self.gui, self.cli):
            if not exe.is_file():
                fail(f"{exe} is missing: build the bundle first (python packaging/build.py).")
        self.scratch = scratch
        # Children get their own temp folder too, so a cache written to "the temp folder" is seen.
        self.child_tmp = scratch / "child-tmp"
        self.child_tmp.mkdir()
        self.homes = 0

    def new_home(self) -> Path:
        self.homes += 1
        home = self.scratch / f"home{self.homes}"
        home.mkdir()
        return home

    def env(self, home: Path, **extra: str) -> dict:
        env = dict(os.environ)
        for name in ("TMPDIR", "TEMP", "TMP"):
            env[name] = str(self.child_tmp)
        env["REPORT_ASSISTANT_HOME"] = str(home)
        env.pop("QT_QPA_PLATFORM", None)
        env.update(CHILD_ENV)
        env.update(extra)
        return env

    def run_cli(self, args: list[str], home: Path, expect: tuple[int, ...] = (0,),
                exe: Path | None = None) -> tuple[str, float]:
        exe = exe or self.cli
        shown = f"{exe.name} {' '.join(args)}"
        started = time.perf_counter()
        try:
            proc = subprocess.run([str(exe), *args], check=False, env=self.env(home), capture_output=True,
                                  timeout=TIMEOUT, cwd=self.scratch)
        except subprocess.TimeoutExpired:
            fail(f"`{shown}` did not finish in {TIMEOUT} s (a worker process that starts the window "
                 f"instead of working would hang like this).")
        seconds = time.perf_counter() - started
        out = proc.stdout.decode(output_encoding(), "replace")
        err = proc.stderr.decode(output_encoding(), "replace")
        if proc.returncode not in expect or "Traceback" in err:
            fail(f"`{shown}` exited with {proc.returncode} (expected {expect}).\n"
                 f"--- stdout ---\n{out[-2000:]}\n--- stderr ---\n{err[-2000:]}")
        return out, seconds


def evict_from_page_cache(folder: Path) -> bool:
    """Drop the bundle's files from the OS page cache (Linux; no root needed). False if unsupported."""
    if not hasattr(os, "posix_fadvise"):
        return False
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)
    return True


def jieba_caches(folder: Path) -> dict[str, float]:
    try:
        return {p.name: p.stat().st_mtime for p in Path(folder).glob("jieba*.cache")}
    except OSError:
        return {}


# --- the checks ---------------------------------------------------------------------------------

def test_check(bundle: Bundle) -> None:
    home = bundle.new_home()
    out, _ = bundle.run_cli(["check", str(REPORT)], home)
    for expected in ("检查清单：", "合计：错误 0 处，警告 0 处，提示 0 处。"):
        if expected not in out:
            fail(f"`check {REPORT.name}` printed no “{expected}”:\n{out[-2000:]}")
    if not list((home / "cache").glob("jieba*.cache")):
        fail(f"`check` left no jieba cache in the per-user folder {home / 'cache'}.")
    print(f"ok  check {REPORT.name}: exit 0, no findings; jieba cache in the per-user folder")


def test_spelling(bundle: Bundle, folder: Path) -> None:
    """The spelling statistics (resources/lm/) and the word lists' matcher (ahocorasick-rs, a
    compiled extension) are in the bundle: a misspelling no list names is found."""
    home = bundle.new_home()
    report = folder / "错字.txt"
    report.write_text("全年召开党组会12次，专题研究党风连政建设工作。\n", encoding="utf-8")
    out, _ = bundle.run_cli(["check", str(report)], home, expect=(1,))
    if "“连”可能应为“廉”" not in out:
        fail(f"`check` did not find the misspelling 党风连政 (spelling statistics missing?):\n{out[-2000:]}")
    print("ok  check finds 党风连政 → 党风廉政 (spelling statistics and matcher bundled)")


def test_export(bundle: Bundle, folder: Path) -> Path:
    home = bundle.new_home()
    target = folder / "导出.docx"
    out, _ = bundle.run_cli(["export", str(REPORT), "--docx", str(target)], home)
    if "已导出" not in out or not target.is_file():
        fail(f"`export` wrote no {target}:\n{out}")
    with zipfile.ZipFile(target) as zf:
        names = set(zf.namelist())
    if "word/document.xml" not in names or not any(n.startswith("word/footer") for n in names):
        fail(f"the exported .docx lacks its body or page-number footer: {sorted(names)}")
    print("ok  export --docx: GB/T 9704 document written (python-docx templates present)")
    return target


def make_batch_folder(bundle: Bundle, exported_docx: Path) -> tuple[Path, int]:
    folder = bundle.scratch / "批量"
    (folder / "二级单位").mkdir(parents=True)
    for report in sorted(FIXTURES.glob("*.txt")):
        shutil.copy(report, folder / report.name)
    shutil.copy(REPORT, folder / "二级单位" / "副本.txt")
    shutil.copy(exported_docx, folder / "二级单位" / exported_docx.name)
    return folder, len(list(folder.rglob("*.*")))


def run_batch(bundle: Bundle, folder: Path, expected: int, exe: Path) -> float:
    home = bundle.new_home()  # fresh: in a batch only the worker processes load jieba
    target = bundle.scratch / f"审查结果-{exe.stem}.xlsx"
    out, seconds = bundle.run_cli(["batch", str(folder), "--out", str(target), "--workers", "2"], home, exe=exe)
    # the windowed program on Windows has no stdout: there only the workbook can be checked
    if not target.is_file() or (out and f"共审查{expected}份（其中无法读取0份）" not in out):
        fail(f"`{exe.name} batch` did not review {expected} reports into {target}:\n{out}")
    with zipfile.ZipFile(target) as zf:
        # openpyxl writes non-ASCII text as character references (&#25991;)
        xml = html.unescape("".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xml")))
    for name in ("总览", "明细", "台账", REPORT.name, "副本.txt", "导出.docx"):
        if name not in xml:
            fail(f"the workbook of `{exe.name} batch` does not mention “{name}”.")
    # a worker that died (e.g. a spawned process that ran the window instead) becomes an error row
    for error in ("检查进程意外退出", "内部错误", "读取时出错"):
        if error in xml:
            fail(f"the workbook of `{exe.name} batch` reports “{error}”: a worker process failed.")
    if not list((home / "cache").glob("jieba*.cache")):
        fail(f"after `{exe.name} batch` the per-user folder has no jieba cache: the worker processes "
             f"did not load jieba with the user's REPORT_ASSISTANT_HOME.")
    return seconds


def test_batch(bundle: Bundle, exported_docx: Path) -> None:
    folder, expected = make_batch_folder(bundle, exported_docx)
    seconds = run_batch(bundle, folder, expected, bundle.cli)
    print(f"ok  batch: {expected} reports (.txt and .docx) in 2 spawned worker processes, "
          f"workbook written ({seconds:.1f} s)")
    # The window's batch dialog spawns its workers from the windowed program; the same program
    # run with `batch` does exactly that, minus the dialog.
    seconds = run_batch(bundle, folder, expected, bundle.gui)
    print(f"ok  batch from the windowed program ({bundle.gui.name}): workers spawned, "
          f"workbook written ({seconds:.1f} s)")


def test_compare(bundle: Bundle) -> None:
    out, _ = bundle.run_cli(["compare", str(PREVIOUS), str(REPORT)], bundle.new_home(), expect=(0, 1))
    if "雷同：" not in out or "上期承诺" not in out:
        fail(f"`compare` printed no comparison:\n{out[-2000:]}")
    print("ok  compare: similarity, promises and counts printed")


def start_window(exe: Path, bundle: Bundle, home: Path, wait: float,
                 stop_at_paint: bool = False) -> tuple[float | None, int | None, str]:
    """Start the window offscreen; return (seconds to first paint or None, exit status if it
    already exited else None, the stderr tail). The window is terminated after `wait` seconds,
    or as soon as it has painted if `stop_at_paint`."""
    env = bundle.env(home, QT_QPA_PLATFORM="offscreen", QT_LOGGING_RULES=PAINT_RULES)
    started = time.perf_counter()
    proc = subprocess.Popen([str(exe)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            cwd=bundle.scratch)
    painted: list[float] = []
    tail: list[str] = []

    def read_stderr() -> None:  # drain the pipe, or the chatty Qt log would block the program
        for raw in proc.stderr:
            line = raw.decode(output_encoding(), "replace")
            if not painted and FIRST_PAINT.search(line):
                painted.append(time.perf_counter() - started)
            if not line.startswith("qt.widgets"):
                tail.append(line)
                del tail[:-40]

    reader = threading.Thread(target=read_stderr, daemon=True)
    reader.start()
    deadline = started + wait
    while time.perf_counter() < deadline and proc.poll() is None and not (stop_at_paint and painted):
        time.sleep(0.05)
    status = proc.poll()
    if status is None:
        proc.terminate()  # SIGTERM on POSIX, TerminateProcess on Windows
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            fail(f"{exe.name} did not end within 10 s of being terminated.")
    reader.join(timeout=5)
    return (painted[0] if painted else None), status, "".join(tail)


def test_chinese_buttons(bundle: Bundle) -> None:
    """Qt's own words in the bundled window are Chinese: its translations were packed and found."""
    import json

    out = bundle.scratch / "self-check.json"
    env = bundle.env(bundle.new_home(), QT_QPA_PLATFORM="offscreen")
    try:
        proc = subprocess.run([str(bundle.gui), "--self-check", str(out)], env=env, capture_output=True,
                              timeout=TIMEOUT, cwd=bundle.scratch)
    except subprocess.TimeoutExpired:
        fail(f"`{bundle.gui.name} --self-check` did not finish in {TIMEOUT} s.")
    if proc.returncode != 0 or not out.is_file():
        fail(f"`{bundle.gui.name} --self-check` exited with {proc.returncode} and wrote no {out.name}:\n"
             f"{proc.stderr.decode(output_encoding(), 'replace')[-2000:]}")
    report = json.loads(out.read_text(encoding="utf-8"))
    if not report.get("translations"):
        fail("the bundled window found no Qt translation (qtbase_zh_CN.qm missing from the bundle?).")
    for expected, where in (("取消", report["unsaved_buttons"]), ("保存", report["unsaved_buttons"]),
                            ("复制(&C)", [t.split("\t")[0] for t in report["context_menu"]])):
        if expected not in where:
            fail(f"the bundled window shows {where}, not “{expected}”: Qt's own words are not in Chinese.")
    print(f"ok  window in Chinese: unsaved-changes buttons {report['unsaved_buttons']}, "
          f"editor menu {report['context_menu'][:3]}…")
    check = report.get("check") or {}
    if not (check.get("complete") and check.get("placeholders") == 1 and check.get("worker")):
        fail(f"the bundled window's check worker process gave no complete result: {check}")
    print(f"ok  window's check worker process (pid {check['worker']}): a complete result with the blank found")


def test_window(bundle: Bundle, seconds: float = 6.0) -> None:
    first_paint, status, tail = start_window(bundle.gui, bundle, bundle.new_home(), seconds)
    if status is not None:
        fail(f"the window ({bundle.gui.name}) exited by itself with status {status} within {seconds:.0f} s:\n{tail}")
    if "Traceback" in tail or "Could not load the Qt platform plugin" in tail:
        fail(f"the window reported an error:\n{tail}")
    shown = f"first paint after {first_paint:.2f} s" if first_paint is not None else "no paint log seen"
    print(f"ok  window ({bundle.gui.name}) offscreen: still running after {seconds:.0f} s ({shown}), terminated")


# --- timing ---------------------------------------------------------------------------------------

def time_window(bundle: Bundle, home: Path) -> float:
    # On Windows the windowed program has no stderr for Qt's log; the console program is the
    # same program, so it stands in for the timing there.
    exe = bundle.cli if sys.platform == "win32" else bundle.gui
    first_paint, status, tail = start_window(exe, bundle, home, wait=20, stop_at_paint=True)
    if first_paint is None:
        fail(f"no first paint of the main window within 20 s (exit status {status}):\n{tail}")
    return first_paint


def measure(bundle: Bundle) -> list[tuple[str, str, str]]:
    tiny = bundle.scratch / "tiny.txt"
    tiny.write_text(TINY_REPORT, encoding="utf-8")
    rows = []
    evicted = evict_from_page_cache(bundle.folder)
    home = bundle.new_home()
    _, cold = bundle.run_cli(["check", str(tiny)], home, expect=(0, 1))
    warm = statistics.median(bundle.run_cli(["check", str(tiny)], home, expect=(0, 1))[1] for _ in range(3))
    rows.append(("check (tiny report)", f"{cold:.2f} s", f"{warm:.2f} s"))
    evict_from_page_cache(bundle.folder)
    home = bundle.new_home()
    cold = time_window(bundle, home)
    warm = statistics.median(time_window(bundle, home) for _ in range(3))
    rows.append(("window, to first paint", f"{cold:.2f} s", f"{warm:.2f} s"))
    if not evicted:
        rows.append(("(cold = first run only;", "page cache", "not dropped)"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description="Smoke-test the built one-folder bundle.")
    parser.add_argument("bundle", nargs="?", default=str(HERE / "dist" / "report-assistant"),
                        help="the bundle folder (default: packaging/dist/report-assistant)")
    parser.add_argument("--no-timing", action="store_true", help="skip the start-up measurements")
    args = parser.parse_args()

    system_tmp = Path(tempfile.gettempdir())
    before = jieba_caches(system_tmp)
    scratch = Path(tempfile.mkdtemp(prefix="ra-smoke-"))
    try:
        bundle = Bundle(Path(args.bundle).resolve(), scratch)
        test_check(bundle)
        test_spelling(bundle, scratch)
        exported = test_export(bundle, scratch)
        test_batch(bundle, exported)
        test_compare(bundle)
        test_window(bundle)
        test_chinese_buttons(bundle)
        rows = [] if args.no_timing else measure(bundle)
        # The decisive check is the children's own, empty temp folder: jieba only writes a cache
        # it could not load, so a jieba.cache already in the system temp folder (left by some
        # other program) would hide a regression there.
        if jieba_caches(bundle.child_tmp):
            fail(f"jieba wrote its cache into the temp folder ({bundle.child_tmp}).")
        after = jieba_caches(system_tmp)
        changed = sorted(name for name, mtime in after.items() if before.get(name) != mtime)
        if changed:
            fail(f"jieba cache file(s) {changed} appeared or changed in the system temp folder {system_tmp} "
                 f"(unless another program using jieba ran at the same time).")
        print("ok  jieba cache only in the per-user folders; none in the temp folders")
    except SmokeFailure as exc:
        print(f"\nSMOKE TEST FAILED: {exc}", file=sys.stderr)
        print(f"(scratch files kept in {scratch})", file=sys.stderr)
        return 1
    shutil.rmtree(scratch, ignore_errors=True)
    if rows:
        print(f"\n{'start-up':<24}{'cold':>10}{'warm':>10}")
        for name, cold, warm in rows:
            print(f"{name:<24}{cold:>10}{warm:>10}")
    print("\nSmoke test passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
