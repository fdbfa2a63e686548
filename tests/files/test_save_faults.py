"""The atomic writer under faults (issue 25, points 10–12): a full disk gives one Chinese message and
nothing else (no English traceback from a half-written zip), says 原文件未改动 only when there was a
file; any name the filesystem allows can be saved (the temp name is short); temps left by a killed
writer are removed later — only ours, only stale, never a live writer's."""
from __future__ import annotations

import errno
import gc
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import CLEAN, ROOT, read_fixture

from core.files import atomic
from core.files.atomic import SaveError, remove_stale_temps, save_text, save_with

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file locks and named files")
REPORT = read_fixture(next(p for p in CLEAN if p.name == "zhuti_2024_annual.txt"))


# --- a full disk -----------------------------------------------------------------------------------

class FullDisk(io.RawIOBase):
    """A file on a disk with `room` bytes left: a write past it fails with ENOSPC, as the OS does.
    Closed, it refuses everything, as a real file does."""

    def __init__(self, real, room: int):
        super().__init__()
        self.real, self.room = real, room

    def writable(self):
        return True

    def seekable(self):
        return True

    def write(self, data):
        if self.real.closed:
            raise ValueError("write to closed file")
        if self.real.tell() + len(data) > self.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        return self.real.write(data)

    def seek(self, offset, whence=0):
        return self.real.seek(offset, whence)

    def tell(self):
        return self.real.tell()

    def flush(self):
        self.real.flush()

    def close(self):
        if not self.closed:
            super().close()  # flushes through self.flush first, as io does
            self.real.close()


@pytest.fixture
def full_disk(monkeypatch):
    """Every file the atomic writer opens for a writer has 4 KB of room (builtins untouched)."""
    real_open = open

    def small_open(fd, mode="r", *args, **kwargs):
        return FullDisk(real_open(fd, mode, *args, **kwargs), 4096)

    monkeypatch.setattr(atomic, "open", small_open, raising=False)


@pytest.fixture
def unraisable(monkeypatch):
    """Errors Python would print as "Exception ignored in …" (a finaliser that fails)."""
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: seen.append(f"{u.exc_type.__name__}: {u.exc_value} in {u.object!r}"))
    return seen


def _docx_save(text: str):
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    return document.save


def _assert_no_temps(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_a_full_disk_during_a_docx_save_is_one_chinese_error_and_nothing_else(tmp_path, full_disk, unraisable):
    target = tmp_path / "报告.docx"
    with pytest.raises(SaveError) as info:
        save_with(target, _docx_save(REPORT))
    message, existed = str(info.value), getattr(info.value, "existed", "not said")
    del info  # the error's traceback holds the half-written zip; let it go and be collected
    gc.collect()
    assert unraisable == []
    assert "磁盘空间不足" in message and existed is False
    assert not target.exists()
    _assert_no_temps(tmp_path)


def test_a_full_disk_during_a_workbook_save_leaves_the_old_file(tmp_path, full_disk, unraisable):
    import openpyxl

    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"the old workbook")
    wb = openpyxl.Workbook()
    for row in range(2000):
        wb.active.append([f"第{row}行", row, "召开党组会"])
    with pytest.raises(SaveError) as info:
        save_with(target, wb.save)
    existed = getattr(info.value, "existed", "not said")
    del info
    gc.collect()
    assert unraisable == []
    assert existed is True
    assert target.read_bytes() == b"the old workbook"
    _assert_no_temps(tmp_path)


def test_ledger_says_the_old_file_is_unchanged_only_when_there_was_one(tmp_path, full_disk, unraisable):
    from core.check.engine import check
    from core.office.ledger import LedgerError
    from core.office.report_ledger import export_to_ledger

    result = check(REPORT)
    fresh = tmp_path / "新台账.xlsx"
    with pytest.raises(LedgerError) as info:
        export_to_ledger(fresh, result, unit="市审计局", period="2024年度")
    assert "磁盘空间不足" in str(info.value) and "原文件未改动" not in str(info.value)
    assert not fresh.exists()
    del info
    gc.collect()
    assert unraisable == []


def test_ledger_on_a_full_disk_keeps_and_names_the_old_file(tmp_path, monkeypatch):
    from core.check.engine import check
    from core.office.ledger import LedgerError
    from core.office.report_ledger import export_to_ledger

    result = check(REPORT)
    ledger = tmp_path / "台账.xlsx"
    export_to_ledger(ledger, result, unit="市审计局", period="2024年度")
    before = ledger.read_bytes()
    real_open = open
    monkeypatch.setattr(atomic, "open", lambda fd, mode="r", *a, **k: FullDisk(real_open(fd, mode, *a, **k), 4096),
                        raising=False)
    with pytest.raises(LedgerError) as info:
        export_to_ledger(ledger, result, unit="市审计局", period="2025年度")
    assert "磁盘空间不足" in str(info.value) and "原文件未改动" in str(info.value)
    assert ledger.read_bytes() == before


_FULL_DISK_CLI = r'''
import errno, io, sys
sys.path.insert(0, sys.argv[1])
from core.files import atomic
real_open = open

class FullDisk(io.RawIOBase):
    def __init__(self, real):
        super().__init__()
        self.real = real
    def writable(self): return True
    def seekable(self): return True
    def write(self, data):
        if self.real.closed: raise ValueError("write to closed file")
        if self.real.tell() + len(data) > 4096: raise OSError(errno.ENOSPC, "No space left on device")
        return self.real.write(data)
    def seek(self, offset, whence=0): return self.real.seek(offset, whence)
    def tell(self): return self.real.tell()
    def flush(self): self.real.flush()
    def close(self):
        if not self.closed: super().close(); self.real.close()

atomic.open = lambda fd, mode="r", *a, **k: FullDisk(real_open(fd, mode, *a, **k))
import main
sys.exit(main.main(sys.argv[2:]))
'''


@pytest.mark.parametrize("command", ["export", "ledger"])
def test_full_disk_on_the_command_line_prints_only_the_chinese_message(tmp_path, command):
    report = tmp_path / "报告.txt"
    report.write_text(REPORT, encoding="utf-8")
    script = tmp_path / "full_disk.py"
    script.write_text(_FULL_DISK_CLI, encoding="utf-8")
    out = tmp_path / ("报告.docx" if command == "export" else "台账.xlsx")
    args = (["export", report, "--docx", out, "--force", "--date", "2025-01-05"] if command == "export"
            else ["ledger", report, "--out", out, "--unit", "市审计局"])
    proc = subprocess.run([sys.executable, script, ROOT, *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "磁盘空间不足" in lines[0] and out.name in lines[0], proc.stderr
    assert "原文件未改动" not in proc.stderr  # there was no file
    assert not out.exists()
    _assert_no_temps(tmp_path)


def test_other_write_errors_are_said_in_chinese():
    assert "4GB" in atomic.os_error_reason(OSError(errno.EFBIG, "File too large"))
    assert "读写出错" in atomic.os_error_reason(OSError(errno.EIO, "Input/output error"))
    odd = atomic.os_error_reason(OSError(errno.ENOLCK, "No locks available"))
    assert odd.startswith("写入失败") and str(errno.ENOLCK) in odd


# --- long names -----------------------------------------------------------------------------------

def _name_of_bytes(size: int, ext: str) -> str:
    stem = "报" * ((size - len(ext)) // 3)
    stem += "x" * (size - len(ext) - len(stem.encode()))
    name = stem + ext
    assert len(name.encode()) == size
    return name


@pytest.mark.parametrize("size", [242, 250, 255])
def test_any_name_the_filesystem_allows_can_be_saved_and_saved_again(tmp_path, size):
    target = tmp_path / _name_of_bytes(size, ".txt")
    target.write_text("旧的", encoding="utf-8")  # the filesystem takes the name
    target.unlink()
    save_text(target, "第一版\n")
    backup = save_text(target, "第二版\n")  # with the previous version kept
    assert target.read_text(encoding="utf-8") == "第二版\n"
    assert backup is not None and backup.read_text(encoding="utf-8") == "第一版\n"
    assert len(backup.name.encode()) <= 255 and backup.name.endswith(".txt.bak")
    assert backup == atomic.backup_path_of(target)
    _assert_no_temps(tmp_path)


def test_a_255_byte_docx_name_exports(tmp_path):
    target = tmp_path / _name_of_bytes(255, ".docx")
    save_with(target, _docx_save("关于落实主体责任情况的报告"))
    save_with(target, _docx_save("关于落实主体责任情况的报告（修改稿）"), backup=True)
    from core.files.textio import read_report

    assert read_report(target) == "关于落实主体责任情况的报告（修改稿）"
    _assert_no_temps(tmp_path)


def test_a_short_name_keeps_its_plain_backup_name(tmp_path):
    assert atomic.backup_path_of(tmp_path / "报告.docx") == tmp_path / "报告.docx.bak"


# --- leftover temps ---------------------------------------------------------------------------------

def _age(path: Path, seconds: float = 2 * atomic.STALE_TEMP_SECONDS) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old), follow_symlinks=False)


_KILLED_WRITER = r'''
import os, sys
sys.path.insert(0, sys.argv[1])
from core.files.atomic import save_with

def write(out):
    out.write(b"PK\x03\x04" + b"half a workbook" * 1000)
    out.flush()
    os._exit(9)  # killed in the middle of the write

save_with(sys.argv[2], write)
'''


@POSIX
def test_a_killed_writers_temp_is_removed_by_a_later_save_once_stale(tmp_path, monkeypatch):
    folder = tmp_path / "用户的文件夹"
    folder.mkdir()
    (folder / "台账.xlsx").write_bytes(b"the user's workbook")
    script = tmp_path / "killed.py"
    script.write_text(_KILLED_WRITER, encoding="utf-8")
    proc = subprocess.run([sys.executable, script, ROOT, folder / "台账.xlsx"], timeout=120)
    assert proc.returncode == 9
    left = [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1 and len(left[0].name.encode()) <= 40  # short, of our own shape
    assert (folder / "台账.xlsx").read_bytes() == b"the user's workbook"

    monkeypatch.setattr(atomic, "_last_sweep", {})
    save_text(folder / "另一个.txt", "新的\n")
    assert left[0].exists()  # not stale yet: it could be a live writer's
    _age(left[0])
    monkeypatch.setattr(atomic, "_last_sweep", {})
    save_text(folder / "另一个.txt", "新的\n")
    assert not left[0].exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted(["台账.xlsx", "另一个.txt", "另一个.txt.bak"])


def test_only_our_stale_temps_are_removed(tmp_path):
    ours = tmp_path / ".report-assistant-0123456789ab.tmp"
    ours_old_shape = tmp_path / ".报告.docx.1a2b3c4d.tmp"
    ours_old_backup = tmp_path / ".报告.docx.bak.deadbeef.tmp"
    fresh = tmp_path / ".report-assistant-ba9876543210.tmp"
    others = [tmp_path / n for n in ("~$报告.docx", ".~lock.报告.docx#", "报告.tmp", ".报告.tmp", "~WRL0001.tmp",
                                     ".report-assistant-0123.tmp", ".report-assistant-0123456789AB.tmp",
                                     ".笔记.md.1a2b3c4d.tmp", "report-assistant-0123456789ab.tmp", "报告.docx")]
    for path in [ours, ours_old_shape, ours_old_backup, fresh, *others]:
        path.write_bytes(b"x")
    for path in [ours, ours_old_shape, ours_old_backup, *others]:
        _age(path)
    removed = remove_stale_temps(tmp_path)
    assert sorted(removed) == sorted([ours, ours_old_shape, ours_old_backup])
    assert fresh.exists() and all(p.exists() for p in others)


@POSIX
def test_a_folder_or_a_link_of_our_shape_is_left_alone(tmp_path):
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    target = elsewhere / "重要.docx"
    target.write_bytes(b"keep me")
    folder = tmp_path / "文件夹"
    folder.mkdir()
    link = folder / ".report-assistant-0123456789ab.tmp"
    link.symlink_to(target)
    directory = folder / ".report-assistant-ba9876543210.tmp"
    directory.mkdir()
    _age(target)
    _age(link)
    _age(directory)
    assert remove_stale_temps(folder) == []
    assert link.is_symlink() and target.read_bytes() == b"keep me" and directory.is_dir()


@POSIX
def test_a_live_writers_temp_is_never_removed_however_old(tmp_path):
    # a writer that has been stopped (a laptop suspended mid-save) still holds its lock
    tmp, fd = atomic._new_temp(tmp_path, None)
    try:
        os.write(fd, b"being written")
        _age(Path(tmp))
        assert remove_stale_temps(tmp_path) == []
        assert Path(tmp).exists()
    finally:
        os.close(fd)
    assert remove_stale_temps(tmp_path) == [Path(tmp)]  # the writer is gone now: a leftover


def test_sweeping_is_at_most_once_per_folder_in_a_while(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(atomic, "_last_sweep", {})
    monkeypatch.setattr(atomic, "remove_stale_temps", lambda folder: calls.append(folder))
    for n in range(5):
        save_text(tmp_path / f"{n}.txt", "x")
    assert calls == [tmp_path]
