"""Killing the real program while it types and saves, again and again, never costs data.

Each run starts the window in its own process on a large report, types into it without pause and
saves every quarter second, and is killed with SIGKILL at a random moment. Afterwards:

* the report file on disk is exactly one of the versions a save was started for — never a mix,
  a torn write or empty (each version is a different length of the same typed stream);
* what a restart can recover (the autosaved draft, or the saved file when it is newer) holds
  everything typed up to five seconds before the kill.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from helpers import ROOT, SEEDS, read_fixture

pytestmark = [pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX"), pytest.mark.slow]

RUNS = 50
PARALLEL = 2
STREAM = "在此输入本期新的工作内容召开党组会研究部署全面从严治党工作，"  # typed over and over

DRIVER = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from ui.main_window import MainWindow
    report, log_path, stream, mode = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    log = open(log_path, "a", encoding="utf-8")
    w = MainWindow()
    w.show()
    w.open_file(report)
    typed = [0]

    def type_one():
        cursor = w.editor.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        cursor.insertText(stream[typed[0] % len(stream)])
        typed[0] += 1
        log.write(f"typed {{typed[0]}} {{time.time():.3f}}\\n")
        log.flush()

    def save():
        size = len(w.editor.toPlainText())
        log.write(f"saving {{size}}\\n")  # before the save: a kill after this may leave either
        log.flush()
        w.save()

    slots = ((20, type_one), (250, save)) if mode == "save" else ((20, type_one),)
    for interval, slot in slots:
        timer = QTimer(w, interval=interval)
        timer.timeout.connect(slot)
        timer.start()
    print("ready", flush=True)
    app.exec()
""")


def _typed_text(base: str, count: int) -> str:
    return base + "".join(STREAM[i % len(STREAM)] for i in range(count))


def _parse_log(path: Path) -> tuple[list[tuple[int, float]], set[int]]:
    typed, saving = [], set()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parts = line.split()
        try:
            if parts[0] == "typed" and len(parts) == 3:
                typed.append((int(parts[1]), float(parts[2])))
            elif parts[0] == "saving" and len(parts) == 2:
                saving.add(int(parts[1]))
        except (ValueError, IndexError):
            continue  # the line the kill cut short
    return typed, saving


class Run:
    def __init__(self, n: int, tmp: Path, base: str, script: Path, rng: random.Random):
        self.dir = tmp / f"run{n:02d}"
        self.home = self.dir / "用户 数据"
        self.home.mkdir(parents=True)
        self.report = self.dir / "本期 报告.txt"
        self.report.write_text(base, encoding="utf-8")
        self.log = self.dir / "log.txt"
        # Odd runs also save four times a second (kills land in saves); even runs only type, so
        # the autosave alone must keep what was typed.
        self.mode = "save" if n % 2 else "type"
        self.typing_seconds = rng.uniform(1.0, 7.0) if self.mode == "save" else rng.uniform(3.0, 10.0)
        env = {**os.environ, "REPORT_ASSISTANT_HOME": str(self.home), "QT_QPA_PLATFORM": "offscreen"}
        self.proc = subprocess.Popen([sys.executable, str(script), str(self.report), str(self.log), STREAM,
                                      self.mode],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        self.ready_at = None
        self.killed_at = None

    def wait_ready(self) -> None:
        line = self.proc.stdout.readline()
        assert line.strip() == b"ready", f"driver did not start: {line!r}"
        self.ready_at = time.monotonic()

    def due(self) -> bool:
        return time.monotonic() - self.ready_at >= self.typing_seconds

    def kill(self) -> None:
        self.killed_at = time.time()
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc.stdout.close()

    def verify(self, base: str) -> tuple[int, int]:
        from core.files.drafts import AutosaveStore

        typed, saving = _parse_log(self.log)
        total = typed[-1][0] if typed else 0
        full = _typed_text(base, total + 1)  # the kill may land after a keystroke was logged
        raw = self.report.read_bytes()
        text = raw.decode("utf-8")  # a torn multi-byte character would fail here
        allowed = saving | {len(base)}
        assert len(text) in allowed, f"{self.dir.name}: file holds {len(text)} characters, no save was of that length"
        assert text == full[:len(text)], f"{self.dir.name}: file is not a version of the typed text"
        bak = self.report.with_name(self.report.name + ".bak")
        if bak.exists():
            old = bak.read_bytes().decode("utf-8")
            assert len(old) in allowed and old == full[:len(old)], f"{self.dir.name}: backup is partial"

        drafts = AutosaveStore(self.home / "autosave").pending()  # where the program keeps them
        recovered = max([text] + [d.text for d in drafts], key=len)
        assert recovered == full[:len(recovered)], f"{self.dir.name}: the draft is not the typed text"
        # everything typed up to five seconds before the kill is there
        must_have = max((n for n, t in typed if t <= self.killed_at - 5.0), default=0)
        assert len(recovered) >= len(base) + must_have, (
            f"{self.dir.name}: recovered {len(recovered) - len(base)} typed characters, "
            f"{must_have} were typed more than 5 s before the kill")
        return self.mode, total, len(text) - len(base), len(recovered) - len(base)


def test_sigkill_while_typing_and_saving_loses_nothing_older_than_five_seconds(tmp_path):
    base = read_fixture(SEEDS[3]) * 40  # ~270,000 characters: each save takes a measurable time
    script = tmp_path / "driver.py"
    script.write_text(DRIVER.format(root=str(ROOT)), encoding="utf-8")
    rng = random.Random(20261122)
    started = time.monotonic()
    results = []
    pending = list(range(RUNS))
    running: list[Run] = []
    while pending or running:
        while pending and len(running) < PARALLEL:
            run = Run(pending.pop(0), tmp_path, base, script, rng)
            run.wait_ready()
            running.append(run)
        time.sleep(0.05)
        for run in [r for r in running if r.due()]:
            run.kill()
            running.remove(run)
            results.append(run.verify(base))
        assert time.monotonic() - started < 900, "crash loop is taking too long"
    assert len(results) == RUNS
    # the loop must have exercised something: typing happened, saves completed, some kills long enough
    saving = [r for r in results if r[0] == "save"]
    typing = [r for r in results if r[0] == "type"]
    assert sum(1 for _m, _t, saved, _r in saving if saved > 0) > len(saving) // 2
    # type-only runs that lasted past the autosave interval must have recovered typing from a draft
    assert sum(1 for _m, typed, _s, recovered in typing if recovered > 0) > len(typing) // 2
    assert max(typed for _m, typed, _s, _r in results) > 5 * 40
