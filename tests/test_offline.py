"""The program works with no network at all, and never tries to open a connection.

Every Python process of the run (the command line, the window, batch review's worker processes)
starts with an audit hook (through a sitecustomize on PYTHONPATH) that makes socket creation,
connecting and name lookups fail, and logs each attempt. The commands must still work, and the log
must stay empty.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest
from helpers import CLEAN, ROOT, SEEDS

SITECUSTOMIZE = textwrap.dedent("""
    import os, sys

    _LOG = os.environ["NO_NETWORK_LOG"]
    _BLOCKED = ("socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo",
                "socket.gethostbyname", "socket.gethostbyaddr", "socket.sendto", "urllib.Request",
                "http.client.connect", "ftplib.connect", "smtplib.connect")

    def _no_network(event, args):
        if event in _BLOCKED:
            with open(_LOG, "a", encoding="utf-8") as log:
                log.write(f"{os.getpid()} {event} {args!r}\\n")
            raise OSError(101, "network is unreachable (blocked by the offline test)")

    sys.addaudithook(_no_network)
""")

WINDOW = textwrap.dedent("""
    import sys, time
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from ui.main_window import MainWindow
    w = MainWindow()
    w.show()
    w.open_file(sys.argv[1])
    deadline = time.time() + 60
    while (w.result is None or w.checked_revision != w.revision) and time.time() < deadline:
        app.processEvents()
        time.sleep(0.02)
    w.compare_with(sys.argv[1])
    while w.result.comparison is None and time.time() < deadline:
        app.processEvents()
        time.sleep(0.02)
    print("WINDOW", len(w.result.findings), w.result.comparison is not None, flush=True)
    w.editor.document().setModified(False)
    w.close()
""")


@pytest.fixture
def offline(tmp_path, user_home):
    hook_dir = tmp_path / "hook"
    hook_dir.mkdir()
    (hook_dir / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = tmp_path / "network-attempts.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(hook_dir), str(ROOT)]),
           "NO_NETWORK_LOG": str(log), "QT_QPA_PLATFORM": "offscreen", "REPORT_ASSISTANT_HOME": str(user_home),
           "PYTHONIOENCODING": "utf-8"}

    def run(*args, script=None):
        cmd = [sys.executable, "-c", script, *map(str, args)] if script else [sys.executable, str(ROOT / "main.py"),
                                                                             *map(str, args)]
        return subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", env=env, timeout=180)

    run.log = log
    return run


def test_the_hook_really_blocks_sockets(offline):
    proc = offline(script="import socket\ntry:\n    socket.socket()\nexcept OSError as e:\n    print('blocked', e)")
    assert "blocked" in proc.stdout
    assert "socket.__new__" in offline.log.read_text(encoding="utf-8")


def test_command_line_works_offline(offline, tmp_path):
    report = CLEAN[0]
    folder = tmp_path / "reports"
    folder.mkdir()
    for p in [*SEEDS, *CLEAN]:
        shutil.copy(p, folder / p.name)
    runs = [
        offline("check", report, "--json"),
        offline("stats", report),
        offline("export", report, "--docx", tmp_path / "out.docx"),
        offline("ledger", report, "--out", tmp_path / "台账.xlsx"),
        offline("compare", SEEDS[3], report),
        offline("batch", folder, "--out", tmp_path / "审查.xlsx", "--workers", "2"),  # worker processes too
    ]
    for proc in runs:
        assert proc.returncode in (0, 1), proc.args[2:4] + [proc.stderr[-1500:]]
        assert "Traceback" not in proc.stderr
    assert (tmp_path / "out.docx").is_file() and (tmp_path / "台账.xlsx").is_file() and (tmp_path / "审查.xlsx").is_file()
    assert not offline.log.exists(), offline.log.read_text(encoding="utf-8")


def test_window_works_offline(offline):
    proc = offline(SEEDS[1], script=WINDOW)
    assert "WINDOW" in proc.stdout and "True" in proc.stdout, proc.stderr[-2000:]
    assert not offline.log.exists(), offline.log.read_text(encoding="utf-8")
