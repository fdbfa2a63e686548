"""One writer at a time: the lock a ledger export holds from reading the workbook to swapping in the
new one, so that two exports at once (two people on a shared folder, the window and a command-line
batch) never overwrite each other's rows.

The lock is the file Excel and WPS users know from their own programs, ``~$台账.xlsx`` beside the
workbook, with the holder and the time written in it as plain text (open it in Notepad to see who is
writing). While the file exists an office program's own owner file cannot be mistaken for ours: ours
starts with :data:`MARKER`. The holder keeps the file open with an operating-system lock on it
(``flock`` on POSIX, a byte-range lock on Windows), which the system drops when the holder ends in
any way, a crash or kill included: a lock file whose system lock is free belongs to nobody and is
taken over. A second writer waits for the first, up to a bounded time, then says who holds it.
"""
from __future__ import annotations

import contextlib
import errno
import getpass
import os
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.office.ledger.schema import LedgerError, os_reason, quoted

MARKER = "主体责任报告助手正在写入这个台账"
WAIT_SECONDS = 60.0  # a 10,000-row ledger takes about 3 s to write; a batch of reports, one lock per report
POLL_SECONDS = 0.05
STALE_SECONDS = 15 * 60  # where the system cannot lock files: a holder that old is taken to be gone
_WIN_LOCK_OFFSET = 1 << 30  # Windows: lock a byte far past the text, so others can still read who holds it


def lock_path(path: Path) -> Path:
    """``~$`` + the workbook's name, beside it."""
    return path.with_name("~$" + path.name)


@dataclass(frozen=True)
class Holder:
    """Who holds a ledger's lock, as its lock file says."""

    user: str = ""
    host: str = ""
    pid: int | None = None
    since: str = ""

    def describe(self) -> str:
        if not (self.user or self.host):
            return "另一个导出"
        who = self.user or "另一位用户"
        where = f"（计算机{self.host}）" if self.host else ""
        when = f"自{self.since}起" if self.since else ""
        return f"{who}{where}{when}"


def read_holder(text: str) -> Holder | None:
    """The holder written in a lock file's text; None when the text is not ours."""
    if not text.startswith(MARKER):
        return None
    fields: dict[str, str] = {}
    for line in text.splitlines()[1:]:
        key, sep, value = line.partition("：")
        if sep:
            fields[key.strip()] = value.strip()
    pid = fields.get("进程")
    return Holder(fields.get("用户", ""), fields.get("计算机", ""),
                  int(pid) if pid and pid.isdigit() else None, fields.get("开始时间", ""))


def is_our_lock(path: Path) -> bool:
    """True when the lock file at ``path`` was written by a ledger export (not an office program)."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(MARKER.encode("utf-8")))
    except OSError:
        return False
    return head.decode("utf-8", "replace").startswith(MARKER)


def _me() -> Holder:
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in the environment: say nothing rather than fail
        user = ""
    host = os.environ.get("COMPUTERNAME") or (os.uname().nodename if hasattr(os, "uname") else "")
    return Holder(user, host, os.getpid(), time.strftime("%Y-%m-%d %H:%M:%S"))


def _text(me: Holder) -> bytes:
    return (f"{MARKER}，写完后本文件会自动删除。\n"
            f"用户：{me.user}\n计算机：{me.host}\n进程：{me.pid}\n开始时间：{me.since}\n").encode()


# --- the operating system's lock -------------------------------------------------------------------

def _os_lock(fd: int) -> bool | None:
    """Take the system lock on ``fd`` without waiting: True taken, False held by another process,
    None when this filesystem cannot lock files."""
    if sys.platform == "win32":
        import msvcrt  # deferred: Windows only

        os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError as exc:
            return False if exc.errno in (errno.EACCES, errno.EDEADLK) else None
    import fcntl  # deferred: POSIX only

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return False
        return None


def _os_unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt  # deferred: Windows only

        with contextlib.suppress(OSError):
            os.lseek(fd, _WIN_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    # POSIX: closing the descriptor drops the flock


def _same_file(fd: int, path: Path) -> bool:
    try:
        a, b = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _read_fd(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 4096).decode("utf-8", "replace")


def _alive(holder: Holder) -> bool:
    """Whether a lock's holder may still be writing (used only where files cannot be locked)."""
    if holder.host and holder.host != _me().host:
        return not _older_than(holder.since, STALE_SECONDS)
    if holder.pid is None:
        return not _older_than(holder.since, STALE_SECONDS)
    if sys.platform == "win32":
        import ctypes  # deferred: Windows only

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, holder.pid)  # query limited information
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(holder.pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _older_than(since: str, seconds: float) -> bool:
    try:
        started = time.mktime(time.strptime(since, "%Y-%m-%d %H:%M:%S"))
    except (ValueError, OverflowError):
        return True
    return time.time() - started > seconds


# --- taking and giving back ------------------------------------------------------------------------

class _Held:
    def __init__(self, fd: int, path: Path, extra: Path | None):
        self.fd, self.path, self.extra = fd, path, extra

    def still_ours(self) -> bool:
        """The lock file is still ours (Excel or WPS may write its own owner file over it when the
        user opens the workbook meanwhile)."""
        try:
            return _read_fd(self.fd).startswith(MARKER) and (sys.platform == "win32" or _same_file(self.fd, self.path))
        except OSError:
            return False

    def release(self) -> None:
        ours = self.still_ours()
        if sys.platform == "win32":
            _os_unlock(self.fd)
            with contextlib.suppress(OSError):
                os.close(self.fd)
            for name in (self.path if ours else None, self.extra):
                if name is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(name)  # fails while a waiting writer has it open: it takes it over
            return
        if ours:
            with contextlib.suppress(OSError):
                os.unlink(self.path)  # before closing: a writer waiting on this file sees it is gone
        with contextlib.suppress(OSError):
            os.close(self.fd)


def _create(lock: Path, data: bytes) -> _Held | None:
    """Make the lock file with its text and the system lock already in place, so nobody ever sees
    it empty or unlocked; None when it already exists."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    tmp = lock.parent / f"~$lk{secrets.token_hex(3)}.tmp"  # short: a long workbook name must still fit
    fd = os.open(tmp, flags, 0o644)
    outcome = "failed"
    try:
        os.write(fd, data)  # no fsync: after a power cut the lock is a dead holder's anyway
        _os_lock(fd)  # a new file nobody else knows: taken, or no system locks here (the text still says who)
        try:
            os.link(tmp, lock)
            outcome = "linked"
        except FileExistsError:
            outcome = "exists"
        except OSError:  # no hard links on this filesystem (FAT, some network drives)
            outcome = "no links"
    finally:
        if outcome != "linked":
            os.close(fd)
        try:
            os.unlink(tmp)
            extra = None
        except OSError:  # Windows: an open file's other name stays until it is closed
            extra = tmp
    if outcome == "linked":
        return _Held(fd, lock, extra)
    if outcome == "exists":
        return None
    try:
        fd = os.open(lock, flags, 0o644)
    except FileExistsError:
        return None
    if _os_lock(fd) is False:  # another writer took the empty new file for a dead holder's
        os.close(fd)
        return None
    os.write(fd, data)
    return _Held(fd, lock, None)


def _take_over(lock: Path, data: bytes) -> tuple[_Held | None, Holder | None, bool]:
    """Try the existing lock file: (held, holder, office). ``held`` when its holder is gone and it is
    now ours; else ``holder`` (who has it); ``office`` when it is an office program's owner file."""
    try:
        fd = os.open(lock, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        return None, None, False
    except PermissionError:  # held open without sharing: an office program's
        return None, None, True
    try:
        text = _read_fd(fd)
        holder = read_holder(text)
        locked = _os_lock(fd)
        if locked is False:
            os.close(fd)
            return None, holder or Holder(), False
        if locked and sys.platform != "win32" and not _same_file(fd, lock):
            os.close(fd)  # the holder finished and removed it meanwhile: start again
            return None, None, False
        text = _read_fd(fd)
        holder = read_holder(text)
        if holder is None:  # an office program's owner file (never empty), or one we cannot read
            os.close(fd)
            return None, None, True
        if locked is None and _alive(holder):
            os.close(fd)  # no system locks here: the text and the holder's process tell
            return None, holder, False
        # Its holder is gone (the system dropped its lock): the file is ours now.
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, data)
        return _Held(fd, lock, None), None, False
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        raise


@contextlib.contextmanager
def ledger_lock(path: Path, *, wait: float = WAIT_SECONDS,
                on_wait: Callable[[Holder], None] | None = None,
                office_open: Callable[[], None] | None = None) -> Iterator[_Held]:
    """Hold the ledger's lock for the ``with`` block. Waits up to ``wait`` seconds for another
    writer, calling ``on_wait(holder)`` once when it starts waiting; raises :class:`LedgerError`
    naming the holder when the time is up. ``office_open()`` raises when an office program has the
    workbook open (checked before each try)."""
    lock = lock_path(path)
    data = _text(_me())
    deadline = time.monotonic() + max(0.0, wait)
    told = False
    while True:
        if office_open is not None:
            office_open()
        try:
            held = _create(lock, data)
            holder, office = None, False
            if held is None:
                held, holder, office = _take_over(lock, data)
        except OSError as exc:
            raise LedgerError(f"无法写入台账{quoted(path)}：无法创建锁定文件{quoted(lock)}（{os_reason(exc)}）。",
                              path) from None
        if office:
            if office_open is not None:
                office_open()  # says which program's lock file it is
            raise LedgerError(f"无法写入台账{quoted(path)}：该文件正在Excel、WPS或LibreOffice中打开"
                              f"（发现锁定文件{quoted(lock)}），请先关闭它再导出。", path)
        if held is not None:
            break
        if holder is not None:
            if not told and on_wait is not None:
                on_wait(holder)
                told = True
            if time.monotonic() >= deadline:
                raise LedgerError(
                    f"无法写入台账{quoted(path)}：{holder.describe()}正在写入这个台账，等了{wait:.0f}秒仍未写完，"
                    f"请稍后再试。如果确实没有人在写入，请删除锁定文件{quoted(lock)}后重试。", path)
            time.sleep(POLL_SECONDS)
    try:
        yield held
    finally:
        held.release()
